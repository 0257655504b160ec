import { Alert, Anchor, Group, Loader, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';

import { type LearnwareState, useMyLearnwares } from '../api/get-my-learnwares';
import { LearnwareCard } from './learnware-card';
import { VersionStatusBadge } from './version-status-badge';

const PAGE_SIZE = 20;
const TABS = ['all', 'live', 'inProgress', 'attention'] as const;
type Tab = (typeof TABS)[number];
const STATE: Record<Tab, LearnwareState | undefined> = {
  all: undefined,
  live: 'live',
  inProgress: 'in_progress',
  attention: 'attention',
};

/** The signed-in user's learnwares, filtered into status tabs by the server. */
export function MyLearnwares() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [tab, setTab] = useState<Tab>('all');
  const state = STATE[tab];
  const mine = useMyLearnwares({ page, page_size: PAGE_SIZE, ...(state ? { state } : {}) });

  const tabs = (
    <Tabs
      value={tab}
      onChange={(value) => {
        setTab(TABS.find((item) => item === value) ?? 'all');
        setPage(1);
      }}
    >
      <Tabs.List>
        {TABS.map((item) => (
          <Tabs.Tab key={item} value={item}>
            {t(`mine.tabs.${item}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
  if (mine.isPending) return <Loader aria-label={t('common.loading')} />;
  if (mine.isError) {
    return (
      <Alert color="red" role="alert">
        {mine.error.message}
      </Alert>
    );
  }
  const { count, results } = mine.data;

  return (
    <Stack>
      {tabs}
      {count === 0 && tab === 'all' ? (
        <Text>
          {t('mine.none')}{' '}
          <Anchor component={Link} to={paths.submit.path}>
            {t('mine.submitFirst')}
          </Anchor>
        </Text>
      ) : count === 0 ? (
        <Text>{t('mine.noneInTab')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {results.map((learnware) => (
            <LearnwareCard
              key={learnware.id}
              learnware={learnware}
              extra={
                <Group gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    v{learnware.latest_version.number}
                  </Text>
                  <VersionStatusBadge status={learnware.latest_version.status} />
                </Group>
              }
            />
          ))}
        </SimpleGrid>
      )}
      <Pager count={count} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}
