import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type Notification = components['schemas']['NotificationOutput'];

export const notificationsQueryKey = ['notifications'] as const;

export const getNotifications = (page: number, pageSize: number) =>
  unwrap(client.GET('/api/notifications/', { params: { query: { page, page_size: pageSize } } }));

export const notificationsQueryOptions = (page = 1, pageSize = 20) =>
  queryOptions({
    queryKey: [...notificationsQueryKey, { page, pageSize }],
    queryFn: () => getNotifications(page, pageSize),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

export const useNotifications = (page = 1, pageSize = 20) =>
  useQuery(notificationsQueryOptions(page, pageSize));
