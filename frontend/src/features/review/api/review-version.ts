import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import { reviewQueueQueryKey } from './get-review-queue';

export type ReviewInput = components['schemas']['ReviewInputRequest'];

export const reviewVersion = ({ versionId, ...body }: ReviewInput & { versionId: number }) =>
  unwrap(
    client.POST('/api/versions/{version_id}/review/', {
      params: { path: { version_id: versionId } },
      body,
    }),
  );

export const useReviewVersion = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reviewVersion,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: reviewQueueQueryKey });
      await queryClient.invalidateQueries({ queryKey: ['learnwares'] });
    },
  });
};
