import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { usersQueryKey } from './get-users';

export const reactivateUser = (userId: number) =>
  unwrap(
    client.POST('/api/users/{user_id}/reactivate/', { params: { path: { user_id: userId } } }),
  );

export const useReactivateUser = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reactivateUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
};
