import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { apiTokensQueryKey } from './get-api-tokens';

export type CreateApiTokenInput = components['schemas']['ApiTokenCreateInputRequest'];
export type CreatedApiToken = components['schemas']['ApiTokenCreateOutput'];

export const createApiToken = (body: CreateApiTokenInput) =>
  unwrap(client.POST('/api/api-tokens/', { body }));

export const useCreateApiToken = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
};
