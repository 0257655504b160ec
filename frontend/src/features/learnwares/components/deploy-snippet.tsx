import { Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** How to fetch the learnware from a shell with the `bmw` CLI; the Python reuse API lands later. */
export function DeploySnippet({ learnwareId }: { learnwareId: number }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  return (
    <Stack gap="xs">
      <Text size="sm">{t('learnware.deploy.intro')}</Text>
      <Code block>
        {[
          'pip install beimingwu',
          `bmw login --url ${origin}`,
          `bmw download ${learnwareId.toString()}`,
        ].join('\n')}
      </Code>
      <Text size="xs" c="dimmed">
        {t('learnware.deploy.later')}
      </Text>
    </Stack>
  );
}
