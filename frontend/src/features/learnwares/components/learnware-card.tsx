import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { asSemanticSpec, specText } from '@/config/semantic';

import type { Learnware } from '../api/get-learnwares';
import { LearnwareTags } from './learnware-tags';

export function LearnwareCard({ learnware, extra }: { learnware: Learnware; extra?: ReactNode }) {
  const { t } = useTranslation();
  const description = specText(asSemanticSpec(learnware.semantic_spec).Description);

  return (
    <Card withBorder padding="md" component="article" aria-label={learnware.name}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Anchor component={Link} to={paths.learnware.to(learnware.id)} fw={600} size="lg">
            {learnware.name}
          </Anchor>
          {extra}
        </Group>
        <LearnwareTags learnware={learnware} />
        {description && (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {description}
          </Text>
        )}
        <Group gap="md">
          <Text size="xs" c="dimmed">
            {t('learnware.owner')}: {learnware.owner.display_name}
          </Text>
          <Text size="xs" c="dimmed">
            {learnware.live_version
              ? t('learnware.versionN', { number: learnware.live_version.number })
              : t('learnware.notLive')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('learnware.downloads', { count: learnware.downloads })}
          </Text>
        </Group>
      </Stack>
    </Card>
  );
}
