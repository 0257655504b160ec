import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { learnwareQueryKey } from './get-learnware';

export const updateLearnware = ({ id, semanticSpec }: { id: number; semanticSpec: unknown }) =>
  unwrap(
    client.PATCH('/api/learnwares/{learnware_id}/', {
      params: { path: { learnware_id: id } },
      body: { semantic_spec: semanticSpec },
    }),
  );

export const useUpdateLearnware = (id: number) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (semanticSpec: unknown) => updateLearnware({ id, semanticSpec }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: learnwareQueryKey(id) });
      await queryClient.invalidateQueries({ queryKey: ['learnwares'] });
    },
  });
};
