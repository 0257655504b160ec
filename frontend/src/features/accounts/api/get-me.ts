import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type User = components['schemas']['UserMeOutput'];
export type Role = components['schemas']['RoleEnum'];

export const meQueryKey = ['me'] as const;

/** The signed-in user, or null when signed out (the API answers 401). */
export const getMe = async (): Promise<User | null> => {
  const { data, error, response } = await client.GET('/api/users/me/');
  if (response.status === 401 || response.status === 403) return null;
  if (data === undefined) throw new ApiError(response.status, error);
  return data;
};

export const meQueryOptions = () =>
  queryOptions({
    queryKey: meQueryKey,
    queryFn: getMe,
    staleTime: 5 * 60_000,
  });

/** The auth state of the app: who is signed in, from `/api/users/me/`. */
export const useMe = () => useQuery(meQueryOptions());

export const isStaff = (user: User | null | undefined): boolean =>
  user?.role === 'reviewer' || user?.role === 'admin';
