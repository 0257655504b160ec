import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const deleteLearnware = (id: number) =>
  unwrap(
    client.DELETE('/api/learnwares/{learnware_id}/', { params: { path: { learnware_id: id } } }),
  );

export const useDeleteLearnware = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteLearnware,
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: ['learnwares', 'detail', id] });
      return queryClient.invalidateQueries({ queryKey: ['learnwares'] });
    },
  });
};
