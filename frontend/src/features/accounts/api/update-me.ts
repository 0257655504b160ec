import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { meQueryKey } from './get-me';

export type UpdateMeInput = components['schemas']['PatchedUserMeUpdateInputRequest'];

export const updateMe = (body: UpdateMeInput) => unwrap(client.PATCH('/api/users/me/', { body }));

export const useUpdateMe = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: (user) => {
      queryClient.setQueryData(meQueryKey, user);
    },
  });
};
