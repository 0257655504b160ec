import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type ResetPasswordInput = components['schemas']['UserPasswordResetConfirmInputRequest'];

export const resetPassword = (body: ResetPasswordInput) =>
  unwrap(client.POST('/api/auth/password-reset/confirm/', { body }));

export const useResetPassword = () => useMutation({ mutationFn: resetPassword });
