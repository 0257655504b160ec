import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { meQueryKey } from './get-me';

export type RegisterInput = components['schemas']['UserRegisterInputRequest'];

export const register = (body: RegisterInput) =>
  unwrap(client.POST('/api/auth/register/', { body }));

export const useRegister = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: register,
    // Registering may sign the new user in; ask the API rather than guess.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
};
