import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const getMyLearnwares = (page: number, pageSize: number) =>
  unwrap(client.GET('/api/learnwares/mine/', { params: { query: { page, page_size: pageSize } } }));

export const myLearnwaresQueryOptions = (page = 1, pageSize = 20) =>
  queryOptions({
    queryKey: ['learnwares', 'mine', { page, pageSize }],
    queryFn: () => getMyLearnwares(page, pageSize),
    placeholderData: keepPreviousData,
  });

export const useMyLearnwares = (page = 1, pageSize = 20) =>
  useQuery(myLearnwaresQueryOptions(page, pageSize));
