import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components, paths } from '@/lib/api/schema';

export type WorldEngineVersion = components['schemas']['WorldEngineVersionOutput'];
export type WorldState = components['schemas']['StateEnum'];
export type WorldVersionFilters = NonNullable<
  paths['/api/admin/world/versions/']['get']['parameters']['query']
>;

/** Everything about the specification world: mutations invalidate it all. */
export const worldQueryKey = ['admin', 'world'] as const;

/** True while a version trains or generates its system specifications. */
export const isRunning = (state: WorldState) => state === 'training' || state === 'regenerating';

/** A version whose system specifications are complete: it has a projection. */
export const isUsable = (state: WorldState) =>
  state === 'ready' || state === 'active' || state === 'retired';

export const getWorldVersions = (filters: WorldVersionFilters) =>
  unwrap(client.GET('/api/admin/world/versions/', { params: { query: filters } }));

/** Engine versions, newest first; polled every few seconds while one is running. */
export const worldVersionsQueryOptions = (filters: WorldVersionFilters = {}) =>
  queryOptions({
    queryKey: [...worldQueryKey, 'versions', filters],
    queryFn: () => getWorldVersions(filters),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.results.some((row) => isRunning(row.state)) ? 3000 : false,
  });

export const useWorldVersions = (filters: WorldVersionFilters = {}) =>
  useQuery(worldVersionsQueryOptions(filters));
