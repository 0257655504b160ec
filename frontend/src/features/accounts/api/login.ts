import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { meQueryKey } from './get-me';

export type LoginInput = components['schemas']['UserLoginInputRequest'];

export const login = (body: LoginInput) => unwrap(client.POST('/api/auth/login/', { body }));

export const useLogin = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: async (user) => {
      queryClient.setQueryData(meQueryKey, user);
      // What the rest of the app shows may depend on who is signed in.
      await queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
  });
};
