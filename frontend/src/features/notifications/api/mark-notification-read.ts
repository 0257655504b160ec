import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { notificationsQueryKey } from './get-notifications';

export const markNotificationRead = (id: number) =>
  unwrap(
    client.POST('/api/notifications/{notification_id}/read/', {
      params: { path: { notification_id: id } },
    }),
  );

export const useMarkNotificationRead = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
};
