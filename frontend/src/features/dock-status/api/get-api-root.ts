import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type ApiRoot = components['schemas']['ApiRootOutput'];

export const getApiRoot = async (): Promise<ApiRoot> => {
  const { data, error, response } = await client.GET('/api/');
  if (data === undefined) throw new ApiError(response.status, error);
  return data;
};

export const apiRootQueryOptions = () =>
  queryOptions({
    queryKey: ['api-root'],
    queryFn: getApiRoot,
    staleTime: Infinity,
  });

export const useApiRoot = () => useQuery(apiRootQueryOptions());
