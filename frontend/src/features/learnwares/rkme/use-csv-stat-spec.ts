import { useState } from 'react';

import type { BuildRkmeOptions } from './build-rkme';
import { DEFAULT_N_POINTS, parseCell } from './rkme-table';
import { useBuildRkme } from './use-build-rkme';

/** The CSV builder's settings as the user entered them (`bmw spec table`'s options). */
export type CsvSettings = {
  /** The chosen columns (0-based); null until the user chooses: every numeric column. */
  columns: number[] | null;
  /** K (`--k`) as typed: a number, or the text of an incomplete one. */
  k: number | string;
  /** gamma (`--gamma`) as typed: a number, or `median` (or nothing) for the median heuristic. */
  gamma: string;
  /** Fit on robustly standardised columns (`--standardize`, the default). */
  standardize: boolean;
};

/** The gamma setting that means the median heuristic (`bmw spec table --gamma median`). */
export const MEDIAN_GAMMA = 'median';

export const DEFAULT_CSV_SETTINGS: CsvSettings = {
  columns: null,
  k: DEFAULT_N_POINTS,
  gamma: MEDIAN_GAMMA,
  standardize: true,
};

/** The typed gamma: `'median'` (the word, or nothing), a number, or NaN if neither. */
export const parseGamma = (text: string): number | 'median' => {
  const trimmed = text.trim().toLowerCase();
  return trimmed === '' || trimmed === MEDIAN_GAMMA ? 'median' : parseCell(trimmed);
};

/**
 * The invalid settings; the ranges are Python's (K an int >= 1, gamma `median` or finite
 * and > 0).
 */
export type CsvSettingsErrors = { columns?: 'none'; k?: 'notPositiveInt'; gamma?: 'notPositive' };

/** The build options of valid settings (else null), and what is invalid. */
export function checkCsvSettings(settings: CsvSettings): {
  options: BuildRkmeOptions | null;
  errors: CsvSettingsErrors;
} {
  const k = typeof settings.k === 'number' ? settings.k : parseCell(settings.k);
  const gamma = parseGamma(settings.gamma);
  const errors: CsvSettingsErrors = {};
  if (settings.columns?.length === 0) errors.columns = 'none';
  if (!(Number.isSafeInteger(k) && k >= 1)) errors.k = 'notPositiveInt';
  if (gamma !== 'median' && !(Number.isFinite(gamma) && gamma > 0)) errors.gamma = 'notPositive';
  if (Object.keys(errors).length > 0) return { options: null, errors };
  const options: BuildRkmeOptions = { nPoints: k, gamma, standardize: settings.standardize };
  if (settings.columns) options.columns = settings.columns;
  return { options, errors };
}

/**
 * A CSV file, the builder's settings and the RKME built from them: `pick` a file (every
 * numeric column again; K and gamma are kept) or `change` settings, and the RKME is rebuilt
 * (stopping any build in progress) or, while a setting is invalid, not built at all.
 */
export function useCsvStatSpec() {
  const { state, table, build, stop, reset } = useBuildRkme();
  const [file, setFile] = useState<File | null>(null);
  const [settings, setSettings] = useState<CsvSettings>(DEFAULT_CSV_SETTINGS);
  const { options, errors } = checkCsvSettings(settings);

  const pick = (next: File | null) => {
    const nextSettings = { ...settings, columns: null };
    const checked = checkCsvSettings(nextSettings).options;
    setFile(next);
    setSettings(nextSettings);
    if (next && checked) build(next, checked);
    else reset();
  };

  const change = (patch: Partial<CsvSettings>) => {
    const next = { ...settings, ...patch };
    const checked = checkCsvSettings(next).options;
    setSettings(next);
    if (!file) return;
    if (checked) build(file, checked);
    else stop();
  };

  return { file, settings, options, errors, state, table, pick, change };
}

export type CsvStatSpec = ReturnType<typeof useCsvStatSpec>;
