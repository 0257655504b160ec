import { useMutation } from '@tanstack/react-query';

import { client } from '@/lib/api/client';
import { unwrap } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

export type SearchResult = components['schemas']['LearnwareSearchOutput'];
export type SearchHit = components['schemas']['SearchHitOutput'];
export type SearchMultiple = components['schemas']['SearchMultipleOutput'];

export type SearchInput = {
  dataType?: string | null;
  taskType?: string | null;
  libraryType?: string | null;
  license?: string | null;
  scenarios?: string[];
  query?: string;
  /** The text of the user's stat.json (already checked to be JSON with a `type`). */
  statSpec?: string | null;
  topK?: number;
  multiple?: boolean;
  /**
   * The user's table columns, described (the semantic spec's Input; a CSV header will do): the
   * dock locates the learnwares whose columns mean the same, or searches the specification world.
   */
  input?: ColumnsInput | null;
  /** What the user predicts (the semantic spec's Output): other outputs are not offered. */
  output?: ColumnsInput | null;
  /** Search the specification world even if some learnware shares the user's columns. */
  hetero?: boolean;
};

/** The semantic specification's Input: one description per column of the user's table RKME. */
export type ColumnsInput = { Dimension: number; Description: Record<string, string> };

/**
 * The column descriptions typed one per line (line i describes column i) as the semantic
 * spec's Input; null when nothing is typed. Trailing empty lines are ignored.
 */
export const columnsInput = (text: string): ColumnsInput | null => {
  if (!text.trim()) return null;
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.trim());
  return {
    Dimension: lines.length,
    Description: Object.fromEntries(lines.map((line, index) => [String(index), line])),
  };
};

/** A learnware's input column descriptions from its semantic spec (index -> text), if any. */
export const inputDescriptions = (semanticSpec: unknown): Record<string, unknown> => {
  if (typeof semanticSpec !== 'object' || semanticSpec === null) return {};
  const input = (semanticSpec as { Input?: unknown }).Input;
  if (typeof input !== 'object' || input === null) return {};
  const description = (input as { Description?: unknown }).Description;
  return typeof description === 'object' && description !== null
    ? (description as Record<string, unknown>)
    : {};
};

/** The described columns of a semantic spec, one per line in column order ('' if none). */
export const inputLines = (semanticSpec: unknown): string =>
  Object.entries(inputDescriptions(semanticSpec))
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, text]) => text)
    .join('\n');

/**
 * A CSV header's names (of the chosen columns, in order) as the semantic spec's Input; null
 * when no name is given.
 */
export const headerInput = (names: readonly string[] | null): ColumnsInput | null => {
  if (!names?.some((name) => name.trim() !== '')) return null;
  return {
    Dimension: names.length,
    Description: Object.fromEntries(names.map((name, index) => [String(index), name.trim()])),
  };
};

type SearchBody = components['schemas']['LearnwareSearchInputRequest'];

/** The typed request body; empty filters are left out. `stat_spec` is the stat.json's text. */
export const searchBody = (input: SearchInput): SearchBody => {
  const body: SearchBody = { multiple: input.multiple ?? true };
  if (input.dataType) body.data_type = input.dataType;
  if (input.taskType) body.task_type = input.taskType;
  if (input.libraryType) body.library_type = input.libraryType;
  if (input.license) body.license = input.license;
  if (input.scenarios?.length) body.scenarios = input.scenarios;
  if (input.query?.trim()) body.query = input.query.trim();
  if (input.topK) body.top_k = input.topK;
  if (input.statSpec) body.stat_spec = input.statSpec;
  if (input.input) body.input = input.input;
  if (input.output) body.output = input.output;
  if (input.hetero) body.hetero = true;
  return body;
};

/** The body as multipart form data, so that the stat.json goes as a file (`stat_spec`). */
export const searchForm = (body: SearchBody | undefined): FormData => {
  const form = new FormData();
  Object.entries(body ?? {}).forEach(([key, value]) => {
    if (key === 'stat_spec' && typeof value === 'string') {
      form.append(key, new Blob([value], { type: 'application/json' }), 'stat.json');
    } else if (Array.isArray(value)) {
      value.forEach((item) => {
        form.append(key, String(item));
      });
    } else if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      form.append(key, String(value));
    } else if (value !== undefined) {
      // `input` and `output` (the semantic spec's Input and Output) are JSON objects.
      form.append(key, JSON.stringify(value));
    }
  });
  return form;
};

/** Search approved learnwares by tags, text and (optionally) an RKME stat.json. */
export const searchLearnwares = (input: SearchInput) =>
  unwrap(
    client.POST('/api/learnwares/search/', {
      body: searchBody(input),
      bodySerializer: searchForm,
    }),
  );

export const useSearchLearnwares = () => useMutation({ mutationFn: searchLearnwares });
