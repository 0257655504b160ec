import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type SearchExample = components['schemas']['ExampleSpecOutput'];

export const getSearchExamples = () => unwrap(client.GET('/api/search/examples/'));

export const searchExamplesQueryOptions = () =>
  queryOptions({ queryKey: ['search', 'examples'], queryFn: getSearchExamples });

export const useSearchExamples = () => useQuery(searchExamplesQueryOptions());

/** An example's statistical specification (its stat.json), as JSON text. */
export const getSearchExampleText = async (id: number): Promise<string> =>
  JSON.stringify(
    await unwrap(
      client.GET('/api/search/examples/{example_id}/stat-spec/', {
        params: { path: { example_id: id } },
      }),
    ),
  );
