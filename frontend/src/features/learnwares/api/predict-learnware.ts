import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type Prediction = components['schemas']['PredictionOutput'];

/** The files as multipart form data, each under `file`, plus any plain fields. */
export const predictForm = (
  files: File[],
  fields: Record<string, string | number[]> = {},
): FormData => {
  const form = new FormData();
  files.forEach((file) => {
    form.append('file', file, file.name);
  });
  Object.entries(fields).forEach(([name, value]) => {
    (Array.isArray(value) ? value : [value]).forEach((item) => {
      form.append(name, String(item));
    });
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

export type Reuser = 'averaging' | 'job_selector';

/** Several learnwares (e.g. a multiple search result) combined by a reuser. */
export type Members = { ids: number[]; weights: number[] };

/** Run several approved learnwares through a reuser on a small upload. */
export const predictLearnwares = (members: Members, reuser: Reuser, files: File[]) =>
  unwrap(
    client.POST('/api/predict/', {
      body: { file: [], learnware_ids: members.ids, weights: members.weights, reuser },
      bodySerializer: () =>
        predictForm(files, { learnware_ids: members.ids, weights: members.weights, reuser }),
    }),
  );

export const usePredictLearnwares = (members: Members) =>
  useMutation({
    mutationFn: ({ reuser, files }: { reuser: Reuser; files: File[] }) =>
      predictLearnwares(members, reuser, files),
  });
