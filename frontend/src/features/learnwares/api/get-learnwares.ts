import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components, paths } from '@/lib/api/schema';

export type Learnware = components['schemas']['LearnwareOutput'];
export type LearnwareFilters = NonNullable<paths['/api/learnwares/']['get']['parameters']['query']>;

export const getLearnwares = (filters: LearnwareFilters) =>
  unwrap(client.GET('/api/learnwares/', { params: { query: filters } }));

export const learnwaresQueryOptions = (filters: LearnwareFilters = {}) =>
  queryOptions({
    queryKey: ['learnwares', 'list', filters],
    queryFn: () => getLearnwares(filters),
    placeholderData: keepPreviousData,
  });

export const useLearnwares = (filters: LearnwareFilters = {}) =>
  useQuery(learnwaresQueryOptions(filters));
