import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { isInProgress } from './get-versions';

export type VersionDetail = components['schemas']['VersionDetailOutput'];
export type CheckStep = components['schemas']['CheckStepOutput'];

export const versionQueryKey = (id: number) => ['versions', id] as const;

export const getVersion = (id: number) =>
  unwrap(client.GET('/api/versions/{version_id}/', { params: { path: { version_id: id } } }));

/** A version with its check steps; polled every second while its checks run. */
export const versionQueryOptions = (id: number) =>
  queryOptions({
    queryKey: versionQueryKey(id),
    queryFn: () => getVersion(id),
    staleTime: 0,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === undefined || isInProgress(status) ? 1000 : false;
    },
  });

export const useVersion = (id: number) => useQuery(versionQueryOptions(id));
