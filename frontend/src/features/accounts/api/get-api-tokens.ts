import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type ApiToken = components['schemas']['ApiTokenOutput'];

export const apiTokensQueryKey = ['api-tokens'] as const;

export const getApiTokens = () =>
  unwrap(client.GET('/api/api-tokens/', { params: { query: { page_size: 100 } } }));

export const apiTokensQueryOptions = () =>
  queryOptions({ queryKey: apiTokensQueryKey, queryFn: getApiTokens });

export const useApiTokens = () => useQuery(apiTokensQueryOptions());
