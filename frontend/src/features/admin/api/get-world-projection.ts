import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { ApiError, unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { worldQueryKey } from './get-world-versions';

export type WorldProjection = components['schemas']['WorldProjectionOutput'];
export type WorldIsland = components['schemas']['WorldIslandOutput'];
export type WorldPoint = components['schemas']['WorldPointOutput'];

/** `version` undefined: the active version (404 when there is none). */
export const getWorldProjection = (version?: string) =>
  unwrap(
    client.GET('/api/admin/world/projection/', {
      params: { query: version ? { version } : {} },
    }),
  );

export const worldProjectionQueryOptions = (version?: string) =>
  queryOptions({
    queryKey: [...worldQueryKey, 'projection', version ?? null],
    queryFn: () => getWorldProjection(version),
    placeholderData: keepPreviousData,
    // 404 (no engine) and 409 (not ready) are answers, not hiccups.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
  });

export const useWorldProjection = (version: string | undefined, enabled = true) =>
  useQuery({ ...worldProjectionQueryOptions(version), enabled });
