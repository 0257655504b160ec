import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type ChangePasswordInput = components['schemas']['UserPasswordChangeInputRequest'];

export const changePassword = (body: ChangePasswordInput) =>
  unwrap(client.POST('/api/users/me/password/', { body }));

export const useChangePassword = () => useMutation({ mutationFn: changePassword });
