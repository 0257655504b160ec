import { queryOptions, useQuery } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

/** The values a semantic specification may use (data, task, library, scenario, license, …). */
export type SemanticVocabulary = components['schemas']['SemanticVocabularyOutput'];

export const getSemanticVocabulary = () => unwrap(client.GET('/api/semantic-vocabulary/'));

export const semanticVocabularyQueryOptions = () =>
  queryOptions({
    queryKey: ['semantic-vocabulary'],
    queryFn: getSemanticVocabulary,
    // The vocabularies change only with a new dock release.
    staleTime: Infinity,
  });

export const useSemanticVocabulary = () => useQuery(semanticVocabularyQueryOptions());

/** `[min, max]` from the vocabulary as `{min, max}` (for messages and checks). */
export const lengthRange = (range: number[]) => ({ min: range[0] ?? 0, max: range[1] ?? Infinity });

/** The tasks allowed for a data type (all tasks when none is chosen or it is unknown). */
export const tasksFor = (vocabulary: SemanticVocabulary, dataType: string | null) =>
  (dataType ? vocabulary.tasks_by_data[dataType] : undefined) ?? vocabulary.task_types;
