import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { worldQueryKey } from './get-world-versions';

/** 202 with the new row; 400 with no eligible table learnware, 409 while one trains. */
export const trainWorldEngine = () => unwrap(client.POST('/api/admin/world/versions/'));

export const useTrainWorldEngine = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: trainWorldEngine,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: worldQueryKey }),
  });
};
