import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components, paths } from '@/lib/api/schema';

export type AdminUser = components['schemas']['UserAdminOutput'];
export type Role = components['schemas']['RoleEnum'];
export type UserFilters = NonNullable<paths['/api/users/']['get']['parameters']['query']>;

export const usersQueryKey = ['users'] as const;

export const getUsers = (filters: UserFilters) =>
  unwrap(client.GET('/api/users/', { params: { query: filters } }));

export const usersQueryOptions = (filters: UserFilters = {}) =>
  queryOptions({
    queryKey: [...usersQueryKey, filters],
    queryFn: () => getUsers(filters),
    placeholderData: keepPreviousData,
  });

export const useUsers = (filters: UserFilters = {}) => useQuery(usersQueryOptions(filters));
