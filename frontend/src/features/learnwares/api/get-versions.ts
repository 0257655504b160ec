import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type Version = components['schemas']['VersionOutput'];
export type VersionStatus = components['schemas']['VersionStatusEnum'];

export const versionsQueryKey = (learnwareId: number) =>
  ['learnwares', 'versions', learnwareId] as const;

export const getVersions = (learnwareId: number) =>
  unwrap(
    client.GET('/api/learnwares/{learnware_id}/versions/', {
      params: { path: { learnware_id: learnwareId } },
    }),
  );

/** True while the version's checks are still to finish. */
export const isInProgress = (status: VersionStatus) => status === 'queued' || status === 'checking';

export const versionsQueryOptions = (learnwareId: number) =>
  queryOptions({
    queryKey: versionsQueryKey(learnwareId),
    queryFn: () => getVersions(learnwareId),
    // Follow a version whose checks are running.
    refetchInterval: (query) =>
      query.state.data?.some((version) => isInProgress(version.status)) ? 2000 : false,
  });

export const useVersions = (learnwareId: number) => useQuery(versionsQueryOptions(learnwareId));
