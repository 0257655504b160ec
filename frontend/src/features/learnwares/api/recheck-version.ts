import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { versionQueryKey } from './get-version';
import { versionsQueryKey } from './get-versions';

export const recheckVersion = (id: number) =>
  unwrap(
    client.POST('/api/versions/{version_id}/recheck/', { params: { path: { version_id: id } } }),
  );

export const useRecheckVersion = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: recheckVersion,
    onSuccess: async (version) => {
      await queryClient.invalidateQueries({ queryKey: versionQueryKey(version.id) });
      await queryClient.invalidateQueries({ queryKey: versionsQueryKey(version.learnware_id) });
    },
  });
};
