import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { worldQueryKey } from './get-world-versions';

export type WorldActivation = components['schemas']['WorldEngineActivationOutput'];

/** 200: active now. 202 (`activation_task_id` set): system specs are generated first. */
export const activateWorldVersion = (version: string) =>
  unwrap(
    client.POST('/api/admin/world/versions/{engine_version}/activate/', {
      params: { path: { engine_version: version } },
    }),
  );

export const useActivateWorldVersion = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: activateWorldVersion,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: worldQueryKey }),
  });
};
