import { ActionIcon, Indicator } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import { useNotifications } from '../api/get-notifications';

// The API has no unread count, so count the unread among the newest page.
const PEEK = 50;

const BellIcon = () => (
  <svg
    width="18"
    height="18"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

export function NotificationBell() {
  const { t } = useTranslation();
  const notifications = useNotifications(1, PEEK);
  const unread = notifications.data?.results.filter((n) => n.read_at === null).length ?? 0;
  const label =
    unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');

  return (
    <Indicator
      label={unread >= PEEK ? `${PEEK.toString()}+` : unread}
      size={16}
      disabled={unread === 0}
      color="red"
      offset={4}
    >
      <ActionIcon
        component={Link}
        to={paths.notifications.path}
        variant="default"
        size="lg"
        aria-label={label}
      >
        <BellIcon />
      </ActionIcon>
    </Indicator>
  );
}
