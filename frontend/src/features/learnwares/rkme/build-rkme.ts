import {
  fitTableRkme,
  parseCsv,
  RkmeInputError,
  type RkmeFitOptions,
  type RkmeProblem,
  type RkmeTableStat,
} from './rkme-table';

/** The stages of building an RKME from a CSV, as the worker reports them. */
export type BuildRkmeProgress =
  | { phase: 'reading' }
  | { phase: 'parsing' }
  | { phase: 'init'; rows: number; columns: number }
  | { phase: 'iteration'; iteration: number; maxIter: number };

export type BuildRkmeResult = {
  stat: RkmeTableStat;
  /** The stat.json text (what the search sends and the download link holds). */
  text: string;
  rows: number;
  columns: number;
  header: string[] | null;
  /** Empty or non-numeric cells replaced by their column's mean. */
  imputed: number;
};

/** Why the build failed: a problem with the data, or anything else (its message). */
export type BuildRkmeFailure = RkmeProblem | { code: 'unexpected'; message: string };

export type BuildRkmeOptions = Omit<RkmeFitOptions, 'onProgress'> & { delimiter?: string };

/** Messages from the main thread to the worker. */
export type BuildRkmeRequest = { file: Blob; options?: BuildRkmeOptions };

/** Messages from the worker to the main thread. */
export type BuildRkmeMessage =
  | { type: 'progress'; progress: BuildRkmeProgress }
  | { type: 'done'; result: BuildRkmeResult }
  | { type: 'error'; failure: BuildRkmeFailure };

/** The delimiter a file name implies (TSV), else undefined (detected from the text). */
export const delimiterFor = (name: string | undefined): string | undefined =>
  name?.toLowerCase().endsWith('.tsv') ? '\t' : undefined;

/** Parse the CSV text and fit its RKME, reporting each stage. Runs in the worker (or inline). */
export function buildRkmeFromText(
  text: string,
  options: BuildRkmeOptions,
  onProgress: (progress: BuildRkmeProgress) => void,
): BuildRkmeResult {
  onProgress({ phase: 'parsing' });
  const { delimiter, ...fit } = options;
  const table = parseCsv(text, delimiter ? { delimiter } : {});
  const maxIter = fit.maxIter ?? 10;
  const stat = fitTableRkme(table, {
    ...fit,
    onProgress: (progress) => {
      onProgress(
        progress.phase === 'init'
          ? { phase: 'init', rows: table.rows, columns: table.cols }
          : { phase: 'iteration', iteration: progress.iteration, maxIter },
      );
    },
  });
  return {
    stat,
    text: JSON.stringify(stat),
    rows: table.rows,
    columns: table.cols,
    header: table.header,
    imputed: table.imputed,
  };
}

/** Any thrown value as a failure the UI can show. */
export const toFailure = (error: unknown): BuildRkmeFailure =>
  error instanceof RkmeInputError
    ? error.problem
    : { code: 'unexpected', message: error instanceof Error ? error.message : String(error) };

/** A rough completed fraction (0..1) for a progress bar: reading, parsing, init, then steps. */
export function progressFraction(progress: BuildRkmeProgress): number {
  switch (progress.phase) {
    case 'reading':
      return 0.02;
    case 'parsing':
      return 0.05;
    case 'init':
      return 0.15;
    case 'iteration':
      return 0.15 + (0.85 * progress.iteration) / Math.max(1, progress.maxIter);
  }
}
