import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components, paths } from '@/lib/api/schema';

export type MyLearnware = components['schemas']['MyLearnwareOutput'];
export type MyLearnwareFilters = NonNullable<
  paths['/api/learnwares/mine/']['get']['parameters']['query']
>;
/** The server-side tabs: listed, in progress, needing attention. */
export type LearnwareState = NonNullable<MyLearnwareFilters['state']>;

export const getMyLearnwares = (filters: MyLearnwareFilters) =>
  unwrap(client.GET('/api/learnwares/mine/', { params: { query: filters } }));

export const myLearnwaresQueryOptions = (filters: MyLearnwareFilters = {}) =>
  queryOptions({
    queryKey: ['learnwares', 'mine', filters],
    queryFn: () => getMyLearnwares(filters),
    placeholderData: keepPreviousData,
  });

export const useMyLearnwares = (filters: MyLearnwareFilters = {}) =>
  useQuery(myLearnwaresQueryOptions(filters));
