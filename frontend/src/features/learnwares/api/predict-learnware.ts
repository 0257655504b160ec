import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type Prediction = components['schemas']['PredictionOutput'];

/** The files as multipart form data, each under `file`. */
export const predictForm = (files: File[]): FormData => {
  const form = new FormData();
  files.forEach((file) => {
    form.append('file', file, file.name);
  });
  return form;
};

/** Run an approved learnware on a small upload (hosted inference, sandboxed on a worker). */
export const predictLearnware = (learnwareId: number, files: File[]) =>
  unwrap(
    client.POST('/api/learnwares/{learnware_id}/predict/', {
      params: { path: { learnware_id: learnwareId } },
      // Binary fields are typed as strings: the serializer sends the File objects instead.
      body: { file: [] },
      bodySerializer: () => predictForm(files),
    }),
  );

export const usePredictLearnware = (learnwareId: number) =>
  useMutation({ mutationFn: (files: File[]) => predictLearnware(learnwareId, files) });
