import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { useMe } from '@/features/accounts/api/get-me';
import { VersionCheckReport } from '@/features/learnwares/components/version-check-report';
import { ReviewQueue } from '@/features/review/components/review-queue';
import { UsersTable } from '@/features/users/components/users-table';

import { Page } from './page';

export function AdminConsoleRoute() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const isAdmin = me.data?.role === 'admin';
  const tab = isAdmin && params.get('tab') === 'users' ? 'users' : 'reviews';

  return (
    <Page title={t('admin.title')}>
      <Tabs
        value={tab}
        onChange={(value) => {
          setParams(value === 'users' ? { tab: 'users' } : {});
        }}
      >
        <Tabs.List>
          <Tabs.Tab value="reviews">{t('admin.reviews')}</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="users">{t('admin.users')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="reviews" pt="md">
          {/* The check report comes from the learnwares feature; features do not import each other. */}
          <ReviewQueue renderReport={(versionId) => <VersionCheckReport versionId={versionId} />} />
        </Tabs.Panel>
        {isAdmin && me.data && (
          <Tabs.Panel value="users" pt="md">
            <UsersTable currentUserId={me.data.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Page>
  );
}
