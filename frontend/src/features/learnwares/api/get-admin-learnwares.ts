import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { paths } from '@/lib/api/schema';

export type AdminLearnwareFilters = NonNullable<
  paths['/api/admin/learnwares/']['get']['parameters']['query']
>;

export const getAdminLearnwares = (filters: AdminLearnwareFilters) =>
  unwrap(client.GET('/api/admin/learnwares/', { params: { query: filters } }));

/** Every learnware in any status (reviewers and admins); under `learnwares` so that
 * mutations invalidating learnwares refresh it. */
export const adminLearnwaresQueryOptions = (filters: AdminLearnwareFilters = {}) =>
  queryOptions({
    queryKey: ['learnwares', 'admin', filters],
    queryFn: () => getAdminLearnwares(filters),
    placeholderData: keepPreviousData,
  });

export const useAdminLearnwares = (filters: AdminLearnwareFilters = {}) =>
  useQuery(adminLearnwaresQueryOptions(filters));
