import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { meQueryKey } from './get-me';

export const logout = () => unwrap(client.POST('/api/auth/logout/'));

export const useLogout = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Forget everything fetched as this user; then mark the app signed out.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(meQueryKey, null);
    },
  });
};
