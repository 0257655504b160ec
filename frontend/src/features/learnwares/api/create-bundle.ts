import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';

export type BundleInput = {
  learnwareIds: number[];
  /** Mixture weights (one per id), e.g. a multiple search result's. */
  weights?: number[] | null;
};

export type Bundle = { blob: Blob; filename: string };

const filenameOf = (response: Response, fallback: string) =>
  /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallback;

/** POST /api/bundles/: a zip of several approved learnwares that runs offline. */
export async function createBundle({ learnwareIds, weights }: BundleInput): Promise<Bundle> {
  const { data, error, response } = await client.POST('/api/bundles/', {
    body: { learnware_ids: learnwareIds, ...(weights ? { weights } : {}) },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw new ApiError(response.status, error);
  return { blob: data, filename: filenameOf(response, 'learnware-bundle.zip') };
}

/** Hand a fetched file to the browser's download manager. */
export function saveFile({ blob, filename }: Bundle) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export const useCreateBundle = () =>
  useMutation({
    mutationFn: async (input: BundleInput) => {
      const bundle = await createBundle(input);
      saveFile(bundle);
      return bundle;
    },
  });
