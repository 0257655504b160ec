import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { usersQueryKey } from './get-users';

export const deactivateUser = (userId: number) =>
  unwrap(
    client.POST('/api/users/{user_id}/deactivate/', { params: { path: { user_id: userId } } }),
  );

export const useDeactivateUser = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deactivateUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
};
