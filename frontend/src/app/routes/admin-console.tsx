import { Loader, Tabs } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { useMe } from '@/features/accounts/api/get-me';
import { AuditLog } from '@/features/admin/components/audit-log';
import { AdminLearnwares } from '@/features/learnwares/components/admin-learnwares';
import { VersionCheckReport } from '@/features/learnwares/components/version-check-report';
import { ReviewQueue } from '@/features/review/components/review-queue';
import { UsersTable } from '@/features/users/components/users-table';

import { Page } from './page';

// The chart tabs load recharts on first view: the review queue (the default tab) does not need it.
const MarketDashboard = lazy(async () => ({
  default: (await import('@/features/admin/components/market-dashboard')).MarketDashboard,
}));
const SpecificationWorld = lazy(async () => ({
  default: (await import('@/features/admin/components/specification-world')).SpecificationWorld,
}));

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<Loader aria-label={t('common.loading')} />}>{children}</Suspense>;
}

const STAFF_TABS = ['dashboard', 'reviews', 'learnwares'] as const;
const ADMIN_TABS = ['users', 'audit', 'world'] as const;
type Tab = (typeof STAFF_TABS)[number] | (typeof ADMIN_TABS)[number];

/** Reviewers: dashboard, review queue, all learnwares. Admins also: users, audit log and the
 * specification world (engine versions, training, rollback). */
export function AdminConsoleRoute() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const isAdmin = me.data?.role === 'admin';
  const tabs: readonly Tab[] = isAdmin ? [...STAFF_TABS, ...ADMIN_TABS] : STAFF_TABS;
  const tab = tabs.find((item) => item === params.get('tab')) ?? 'reviews';

  return (
    <Page title={t('admin.title')}>
      <Tabs
        value={tab}
        keepMounted={false}
        onChange={(value) => {
          setParams(value && value !== 'reviews' ? { tab: value } : {});
        }}
      >
        <Tabs.List>
          {tabs.map((item) => (
            <Tabs.Tab key={item} value={item}>
              {t(`admin.${item}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="dashboard" pt="md">
          <Lazy>
            <MarketDashboard />
          </Lazy>
        </Tabs.Panel>
        <Tabs.Panel value="reviews" pt="md">
          {/* The check report comes from the learnwares feature; features do not import each other. */}
          <ReviewQueue renderReport={(versionId) => <VersionCheckReport versionId={versionId} />} />
        </Tabs.Panel>
        <Tabs.Panel value="learnwares" pt="md">
          <AdminLearnwares />
        </Tabs.Panel>
        {isAdmin && me.data && (
          <>
            <Tabs.Panel value="users" pt="md">
              <UsersTable currentUserId={me.data.id} />
            </Tabs.Panel>
            <Tabs.Panel value="audit" pt="md">
              <AuditLog />
            </Tabs.Panel>
            <Tabs.Panel value="world" pt="md">
              <Lazy>
                <SpecificationWorld />
              </Lazy>
            </Tabs.Panel>
          </>
        )}
      </Tabs>
    </Page>
  );
}
