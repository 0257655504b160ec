import {
  Alert,
  Anchor,
  Group,
  Loader,
  Pagination,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
} from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import { useMyLearnwares } from '../api/get-my-learnwares';
import { type Version, versionsQueryOptions } from '../api/get-versions';
import { LearnwareCard } from './learnware-card';
import { VersionStatusBadge } from './version-status-badge';

const PAGE_SIZE = 20;
const TABS = ['all', 'live', 'inProgress', 'attention'] as const;
type Tab = (typeof TABS)[number];

const matches = (tab: Tab, hasLive: boolean, latest: Version | undefined): boolean => {
  switch (tab) {
    case 'all':
      return true;
    case 'live':
      return hasLive;
    case 'inProgress':
      return (
        latest !== undefined && ['queued', 'checking', 'awaiting_review'].includes(latest.status)
      );
    case 'attention':
      return latest !== undefined && ['check_failed', 'rejected'].includes(latest.status);
  }
};

/**
 * The signed-in user's learnwares by status. The list endpoint gives no version status, so each
 * card's versions are fetched (one request per learnware on the page) to sort them into tabs.
 */
export function MyLearnwares() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [tab, setTab] = useState<Tab>('all');
  const mine = useMyLearnwares(page, PAGE_SIZE);
  const results = mine.data?.results ?? [];
  const versions = useQueries({
    queries: results.map((learnware) => versionsQueryOptions(learnware.id)),
  });

  if (mine.isPending) return <Loader aria-label={t('common.loading')} />;
  if (mine.isError) {
    return (
      <Alert color="red" role="alert">
        {mine.error.message}
      </Alert>
    );
  }

  const rows = results.map((learnware, index) => {
    const list = versions[index]?.data ?? [];
    const latest = [...list].sort((a, b) => b.number - a.number)[0];
    return { learnware, latest };
  });
  const shown = rows.filter(({ learnware, latest }) =>
    matches(tab, learnware.live_version !== null, latest),
  );
  const pages = Math.max(1, Math.ceil(mine.data.count / PAGE_SIZE));

  return (
    <Stack>
      <Tabs
        value={tab}
        onChange={(value) => {
          setTab(TABS.find((item) => item === value) ?? 'all');
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
      {mine.data.count === 0 ? (
        <Text>
          {t('mine.none')}{' '}
          <Anchor component={Link} to={paths.submit.path}>
            {t('mine.submitFirst')}
          </Anchor>
        </Text>
      ) : shown.length === 0 ? (
        <Text>{t('mine.noneInTab')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {shown.map(({ learnware, latest }) => (
            <LearnwareCard
              key={learnware.id}
              learnware={learnware}
              extra={
                latest && (
                  <Group gap={4} wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      v{latest.number}
                    </Text>
                    <VersionStatusBadge status={latest.status} />
                  </Group>
                )
              }
            />
          ))}
        </SimpleGrid>
      )}
      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
