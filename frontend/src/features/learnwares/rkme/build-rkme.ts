import {
  type CsvProfile,
  fitTableRkme,
  readCsv,
  RkmeInputError,
  type RkmeProblem,
  type RkmeTableStat,
  selectColumns,
  type TableFitOptions,
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
  /** The number of chosen columns: the spec's dimension. */
  columns: number;
  /** The header names of the chosen columns, if the file has a header row. */
  header: string[] | null;
  /** The chosen columns (0-based, in file order). */
  used: number[];
  /** Missing or ±inf cells of the chosen columns replaced by their column's mean. */
  imputed: number;
  /** Rows with such a cell (kept: no row is dropped, as in Python). */
  imputedRows: number;
};

/** Why the build failed: a problem with the data, or anything else (its message). */
export type BuildRkmeFailure = RkmeProblem | { code: 'unexpected'; message: string };

export type BuildRkmeOptions = Omit<TableFitOptions, 'onProgress'> & {
  delimiter?: string;
  /** The columns to use (0-based; file order is kept); default every numeric column. */
  columns?: readonly number[];
};

/** Messages from the main thread to the worker. */
export type BuildRkmeRequest = { file: Blob; options?: BuildRkmeOptions };

/** Messages from the worker to the main thread. */
export type BuildRkmeMessage =
  | { type: 'progress'; progress: BuildRkmeProgress }
  | { type: 'table'; table: CsvProfile }
  | { type: 'done'; result: BuildRkmeResult }
  | { type: 'error'; failure: BuildRkmeFailure };

/** The delimiter a file name implies (TSV), else undefined (detected from the text). */
export const delimiterFor = (name: string | undefined): string | undefined =>
  name?.toLowerCase().endsWith('.tsv') ? '\t' : undefined;

/**
 * Parse the CSV text and fit the RKME of the chosen columns, reporting each stage and, once
 * read, the file's columns (also when the choice is then refused). Runs in the worker (or inline).
 */
export function buildRkmeFromText(
  text: string,
  options: BuildRkmeOptions,
  onProgress: (progress: BuildRkmeProgress) => void,
  onTable: (table: CsvProfile) => void = () => undefined,
): BuildRkmeResult {
  onProgress({ phase: 'parsing' });
  const { delimiter, columns, ...fit } = options;
  const cells = readCsv(text, delimiter ? { delimiter } : {});
  onTable(cells.profile);
  const table = selectColumns(cells, columns);
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
    used: table.used,
    imputed: table.imputed,
    imputedRows: table.imputedRows,
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
