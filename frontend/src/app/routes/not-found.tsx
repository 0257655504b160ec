import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

import { paths } from '@/config/paths';

export function NotFoundRoute() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('notFound.title')} · ${t('nav.brand')}`);
  const { pathname } = useLocation();

  return (
    <Stack gap="sm" py="md">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>
        <Trans
          i18nKey="notFound.body"
          values={{ path: pathname }}
          components={{ code: <code /> }}
        />
      </Text>
      <Anchor component={Link} to={paths.home.path}>
        {t('common.backHome')}
      </Anchor>
    </Stack>
  );
}
