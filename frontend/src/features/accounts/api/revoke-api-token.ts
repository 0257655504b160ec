import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';

import { apiTokensQueryKey } from './get-api-tokens';

export const revokeApiToken = (id: number) =>
  unwrap(
    client.DELETE('/api/api-tokens/{api_token_id}/', { params: { path: { api_token_id: id } } }),
  );

export const useRevokeApiToken = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
};
