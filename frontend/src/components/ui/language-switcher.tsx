import { Menu, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, setLanguage } from '@/lib/i18n';

/** English / 中文; the choice is remembered in localStorage. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const current = LANGUAGES.find((language) => language.code === i18n.resolvedLanguage);

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('nav.language')} px={6} fz="sm" fw={500}>
          {current?.code === 'zh' ? '中文' : 'EN'}
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language.code}
            lang={language.code}
            onClick={() => {
              setLanguage(language.code);
            }}
            aria-current={language.code === current?.code ? 'true' : undefined}
          >
            {language.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
