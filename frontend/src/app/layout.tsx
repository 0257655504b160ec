import { useTranslation } from 'react-i18next';

import { AppLayout, type NavItem } from '@/components/layouts/app-layout';
import { paths } from '@/config/paths';
import { isStaff, useMe } from '@/features/accounts/api/get-me';
import { UserMenu } from '@/features/accounts/components/user-menu';
import { NotificationBell } from '@/features/notifications/components/notification-bell';

/** The shell with the nav for who is signed in: the account menu and the notification bell. */
export function RootLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const user = me.data;

  const nav: NavItem[] = [
    { to: paths.home.path, label: t('nav.home') },
    { to: paths.learnwares.path, label: t('nav.browse') },
    { to: paths.search.path, label: t('nav.search') },
    { to: paths.submit.path, label: t('nav.submit') },
  ];
  if (user) nav.push({ to: paths.myLearnwares.path, label: t('nav.myLearnwares') });
  if (isStaff(user)) nav.push({ to: paths.adminConsole.path, label: t('nav.adminConsole') });

  return (
    <AppLayout
      nav={nav}
      actions={
        <>
          {user && <NotificationBell />}
          <UserMenu />
        </>
      }
    />
  );
}
