import { useMutation, useQueryClient } from '@tanstack/react-query';

import { type UploadProgress, uploadMultipart } from '@/lib/api/upload';

export type CreateLearnwareInput = {
  semanticSpec: unknown;
  file: File;
  onProgress?: (progress: UploadProgress) => void;
};

/** Upload a new learnware: multipart `semantic_spec` (a JSON string) + `package` (the zip). */
export const createLearnware = ({ semanticSpec, file, onProgress }: CreateLearnwareInput) => {
  const body = new FormData();
  body.append('semantic_spec', JSON.stringify(semanticSpec));
  body.append('package', file, file.name);
  return uploadMultipart('/api/learnwares/', body, { onProgress });
};

export const useCreateLearnware = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createLearnware,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['learnwares'] }),
  });
};
