import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const requestPasswordReset = (email: string) =>
  unwrap(client.POST('/api/auth/password-reset/', { body: { email } }));

export const useRequestPasswordReset = () => useMutation({ mutationFn: requestPasswordReset });
