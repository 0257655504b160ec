import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type ReviewItem = components['schemas']['ReviewQueueItemOutput'];

export const reviewQueueQueryKey = ['reviews'] as const;

export const getReviewQueue = (page: number, pageSize: number) =>
  unwrap(client.GET('/api/reviews/', { params: { query: { page, page_size: pageSize } } }));

export const reviewQueueQueryOptions = (page = 1, pageSize = 10) =>
  queryOptions({
    queryKey: [...reviewQueueQueryKey, { page, pageSize }],
    queryFn: () => getReviewQueue(page, pageSize),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export const useReviewQueue = (page = 1, pageSize = 10) =>
  useQuery(reviewQueueQueryOptions(page, pageSize));
