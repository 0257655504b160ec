import { useMutation, useQueryClient } from '@tanstack/react-query';

import { type UploadProgress, uploadMultipart } from '@/lib/api/upload';

import { versionsQueryKey } from './get-versions';

export type CreateVersionInput = {
  file: File;
  onProgress?: (progress: UploadProgress) => void;
};

/** Upload a new package for an existing learnware; it is checked and reviewed again. */
export const createVersion = (learnwareId: number, { file, onProgress }: CreateVersionInput) => {
  const body = new FormData();
  body.append('package', file, file.name);
  return uploadMultipart('/api/learnwares/{learnware_id}/versions/', body, {
    params: { learnware_id: learnwareId },
    onProgress,
  });
};

export const useCreateVersion = (learnwareId: number) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateVersionInput) => createVersion(learnwareId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: versionsQueryKey(learnwareId) }),
  });
};
