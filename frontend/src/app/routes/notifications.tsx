import { useTranslation } from 'react-i18next';

import { NotificationList } from '@/features/notifications/components/notification-list';

import { Page } from './page';

export function NotificationsRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('notifications.title')}>
      <NotificationList />
    </Page>
  );
}
