import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

export const resendVerification = () => unwrap(client.POST('/api/auth/email-verification/'));

export const useResendVerification = () => useMutation({ mutationFn: resendVerification });
