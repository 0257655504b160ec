import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const learnwareQueryKey = (id: number) => ['learnwares', 'detail', id] as const;

export const getLearnware = (id: number) =>
  unwrap(client.GET('/api/learnwares/{learnware_id}/', { params: { path: { learnware_id: id } } }));

export const learnwareQueryOptions = (id: number) =>
  queryOptions({ queryKey: learnwareQueryKey(id), queryFn: () => getLearnware(id) });

export const useLearnware = (id: number) => useQuery(learnwareQueryOptions(id));
