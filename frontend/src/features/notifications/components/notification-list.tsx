import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/utils/format';

import { useNotifications } from '../api/get-notifications';
import { useMarkNotificationRead } from '../api/mark-notification-read';

const PAGE_SIZE = 20;

export function NotificationList() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const notifications = useNotifications(page, PAGE_SIZE);
  const markRead = useMarkNotificationRead();

  if (notifications.isPending) return <Loader aria-label={t('common.loading')} />;
  if (notifications.isError) {
    return (
      <Alert color="red" role="alert">
        {notifications.error.message}
      </Alert>
    );
  }
  const { results, count } = notifications.data;
  if (count === 0) return <Text>{t('notifications.none')}</Text>;

  return (
    <Stack>
      {markRead.isError && (
        <Alert color="red" role="alert">
          {markRead.error.message}
        </Alert>
      )}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {results.map((notification) => {
          const unread = notification.read_at === null;
          return (
            <Paper
              key={notification.id}
              component="li"
              withBorder
              p="sm"
              aria-label={notification.title}
              style={unread ? { borderLeft: '3px solid var(--mantine-color-blue-6)' } : undefined}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={unread ? 700 : 500}>{notification.title}</Text>
                    {unread && (
                      <Badge size="xs" color="blue">
                        {t('notifications.unread')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {notification.body}
                  </Text>
                  <Group gap="md">
                    <Text size="xs" c="dimmed">
                      {formatDateTime(notification.created_at)}
                    </Text>
                    {notification.learnware_id !== null && (
                      <Anchor
                        component={Link}
                        to={paths.learnware.to(notification.learnware_id)}
                        size="xs"
                      >
                        {t('notifications.openLearnware')}
                      </Anchor>
                    )}
                  </Group>
                </Stack>
                {unread && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    loading={markRead.isPending && markRead.variables === notification.id}
                    onClick={() => {
                      markRead.mutate(notification.id);
                    }}
                  >
                    {t('notifications.markRead')}
                  </Button>
                )}
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <Pager count={count} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}
