import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { type Role, usersQueryKey } from './get-users';

export const setUserRole = ({ userId, role }: { userId: number; role: Role }) =>
  unwrap(
    client.POST('/api/users/{user_id}/role/', {
      params: { path: { user_id: userId } },
      body: { role },
    }),
  );

export const useSetUserRole = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setUserRole,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
};
