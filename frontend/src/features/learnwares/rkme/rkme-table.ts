/**
 * The table RKME (reduced kernel mean embedding) built in the browser: a port of
 * `learnware_core/specification/rkme.py` (`RKMETableSpecification.fit` and `to_dict`).
 *
 * An RKME summarises a table X (n x d) by K weighted points (z_i, beta_i) whose kernel mean
 * embedding sum_i beta_i k(z_i, .) is close, in MMD, to the empirical one (1/n) sum_j k(x_j, .),
 * with k(a, b) = exp(-gamma ||a - b||^2). The algorithm is the Python one: kernel herding on a
 * random candidate subset, then alternating exact simplex-constrained beta (primal active set)
 * and preconditioned momentum steps on z with a trust radius and a monotone acceptance test.
 * Only the random numbers differ (a small seeded PRNG instead of NumPy's), so the result equals
 * Python's within tolerance, not bit for bit.
 *
 * Matrices are row-major Float64Arrays; the loops allocate nothing per element.
 */

export const RKME_TABLE_TYPE = 'RKMETableSpecification';
/**
 * The original package's kernel parameter (its raw fit's default). The dock compares table
 * specifications under its own kernel, so a spec's gamma only decides how it was fitted.
 */
export const DEFAULT_GAMMA = 0.1;
/** Python's default reduced-set size K (`n_points`, `bmw spec table --k`). */
export const DEFAULT_N_POINTS = 100;
/** Cap on K * d (the original's `max_reduced_set_size`). */
export const MAX_REDUCED_SET_SIZE = 1_310_720;
const HERDING_MAX_CANDIDATES = 4096;
const QP_JITTER = 1e-10;
/** exp(-x) is 0 in float64 beyond this. */
const EXP_UNDERFLOW = 746;

/** A numeric table: `data[i * cols + j]` is row i, column j. */
export type Matrix = { data: Float64Array; rows: number; cols: number };

/** The stat.json layout the dock's search accepts (the same keys and order as Python's). */
export type RkmeTableStat = {
  z: number[][];
  beta: number[];
  gamma: number;
  num_points: number;
  type: typeof RKME_TABLE_TYPE;
};

/**
 * One column of a CSV file, as `bmw spec table` (pandas) would type it: `numeric` if every
 * cell is a number, ±inf or a missing marker and one at least is finite; `text` if a cell is
 * anything else (the CLI refuses such a column unless it is dropped); `noValue` if no cell is
 * a finite number (the CLI cannot impute it either). Only `numeric` columns can be used.
 */
export type CsvColumn = {
  /** The header cell, or null when the file has no header row (or the cell is empty). */
  name: string | null;
  kind: 'numeric' | 'text' | 'noValue';
  /** Empty, missing-marker or ±inf cells: imputed with the column mean if the column is used. */
  missing: number;
  /** A `text` column's first non-numeric cell and the 1-based line it is on. */
  example: { row: number; value: string } | null;
};

/** What the CSV reader found: its columns, data rows and delimiter. */
export type CsvProfile = { header: boolean; rows: number; columns: CsvColumn[]; delimiter: string };

/** A read CSV: its profile and every cell as a number (NaN for missing or text cells). */
export type CsvCells = { profile: CsvProfile; data: Float64Array };

/** The chosen columns of a CSV as a numeric matrix, missing values already imputed. */
export type CsvTable = Matrix & {
  /** The header names of the chosen columns, if the first row was not numeric. */
  header: string[] | null;
  /** The chosen columns: 0-based indices into the file's columns, in file order. */
  used: number[];
  /** Empty, missing or ±inf cells of the chosen columns that got their column's mean. */
  imputed: number;
  /** Rows with at least one imputed cell (none is dropped, as in Python). */
  imputedRows: number;
  /** The field delimiter that was used. */
  delimiter: string;
  profile: CsvProfile;
};

/** Why a table or fit was refused; `row` and `column` are 1-based, as a user counts them. */
export type RkmeProblem =
  | { code: 'empty' }
  | { code: 'unterminatedQuote'; row: number }
  | { code: 'ragged'; row: number; expected: number; found: number }
  | { code: 'noFiniteValue'; column: number; name: string | null }
  | { code: 'notNumeric'; column: number; name: string | null; row: number; value: string }
  | { code: 'noColumns' }
  | { code: 'invalidOption'; message: string };

const describe = (problem: RkmeProblem): string => {
  switch (problem.code) {
    case 'empty':
      return 'the file has no data rows';
    case 'unterminatedQuote':
      return `row ${problem.row}: a quoted field is not closed`;
    case 'ragged':
      return `row ${problem.row} has ${problem.found} fields, expected ${problem.expected}`;
    case 'noFiniteValue':
      return `column ${problem.column}${problem.name ? ` ("${problem.name}")` : ''} has no finite numeric value; cannot impute the column mean`;
    case 'notNumeric':
      return `column ${problem.column}${problem.name ? ` ("${problem.name}")` : ''} is not numeric (row ${problem.row}: "${problem.value}")`;
    case 'noColumns':
      return 'no numeric column to use';
    case 'invalidOption':
      return problem.message;
  }
};

/** A refused input; `problem` says why in a form the UI can translate. */
export class RkmeInputError extends Error {
  readonly problem: RkmeProblem;

  constructor(problem: RkmeProblem) {
    super(describe(problem));
    this.name = 'RkmeInputError';
    this.problem = problem;
  }
}

// ------------------------------------------------------------------------------------ CSV

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
/** Common spellings of a missing value (pandas' defaults); they do not make a row a header. */
const MISSING = new Set([
  '',
  'na',
  'n/a',
  'nan',
  '-nan',
  '+nan',
  'null',
  'none',
  '#n/a',
  '#na',
  '<na>',
  '#n/a n/a',
  '-1.#ind',
  '1.#ind',
  '-1.#qnan',
  '1.#qnan',
]);

/** A cell as a number: NaN for empty, missing or non-numeric text; ±Infinity for "inf". */
export function parseCell(text: string): number {
  const s = text.trim();
  if (NUMBER.test(s)) return Number(s);
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return NaN;
}

const isMissing = (text: string) => MISSING.has(text.trim().toLowerCase());

/** Comma unless the first line has none and has tabs or semicolons instead. */
function detectDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
  const line = end < 0 ? text : text.slice(0, end);
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  return ',';
}

/**
 * Call `onRecord(fields, row)` for each record of RFC 4180-style CSV text: quoted fields may
 * hold delimiters, line breaks and doubled quotes; CRLF, LF and CR end records. `row` is the
 * 1-based line on which the record starts. Blank lines are skipped. `fields` is reused.
 */
export function forEachCsvRecord(
  text: string,
  delimiter: string,
  onRecord: (fields: string[], row: number) => void,
): void {
  const sep = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const CR = 13;
  const LF = 10;
  const n = text.length;
  const fields: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let line = 1;
  while (i < n) {
    const startLine = line;
    fields.length = 0;
    let quoted = false;
    // One record.
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true;
        const quoteLine = line;
        let j = i + 1;
        let out = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new RkmeInputError({ code: 'unterminatedQuote', row: quoteLine });
          const chunk = text.slice(j, q);
          for (let t = 0; t < chunk.length; t++) {
            const ch = chunk.charCodeAt(t);
            if (ch === LF || (ch === CR && chunk.charCodeAt(t + 1) !== LF)) line++;
          }
          out += chunk;
          if (text.charCodeAt(q + 1) === QUOTE) {
            out += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        // Anything between the closing quote and the delimiter is kept (lenient).
        let k = j;
        while (k < n) {
          const ch = text.charCodeAt(k);
          if (ch === sep || ch === CR || ch === LF) break;
          k++;
        }
        value = out + text.slice(j, k);
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const ch = text.charCodeAt(k);
          if (ch === sep || ch === CR || ch === LF) break;
          k++;
        }
        value = text.slice(i, k);
        i = k;
      }
      fields.push(value);
      if (i >= n) break;
      const ch = text.charCodeAt(i);
      if (ch === sep) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      // End of the record.
      i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    // Blank (or white-space only) lines are skipped.
    if (quoted || fields.length > 1 || fields[0]?.trim() !== '') onRecord(fields, startLine);
  }
}

/**
 * Read CSV text: every cell as a number and what each column holds (see `CsvColumn`). The
 * first row is a header if one of its cells is neither a number nor a missing-value marker.
 *
 * @throws RkmeInputError for no data rows, an unclosed quote, or a row with another number of
 *   fields than the first.
 */
export function readCsv(text: string, options: { delimiter?: string } = {}): CsvCells {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  // (Assigned in the callback: a plain `null` initialiser would narrow it to null for tsc.)
  let header = null as string[] | null;
  let cols = -1;
  let rows = 0;
  let data = new Float64Array(1024);
  let size = 0;
  let finite = new Int32Array(0);
  let missing = new Int32Array(0);
  let examples: CsvColumn['example'][] = [];
  forEachCsvRecord(text, delimiter, (fields, row) => {
    if (cols < 0) {
      cols = fields.length;
      finite = new Int32Array(cols);
      missing = new Int32Array(cols);
      examples = new Array<CsvColumn['example']>(cols).fill(null);
      if (fields.some((f) => Number.isNaN(parseCell(f)) && !isMissing(f))) {
        header = fields.map((f) => f.trim());
        return;
      }
    }
    if (fields.length !== cols) {
      throw new RkmeInputError({ code: 'ragged', row, expected: cols, found: fields.length });
    }
    if (size + cols > data.length) {
      const grown = new Float64Array(Math.max(2 * data.length, size + cols));
      grown.set(data.subarray(0, size));
      data = grown;
    }
    for (let j = 0; j < cols; j++) {
      const field = fields[j] ?? '';
      const value = parseCell(field);
      data[size + j] = value;
      if (Number.isFinite(value)) finite[j] = (finite[j] ?? 0) + 1;
      else if (!Number.isNaN(value) || isMissing(field)) missing[j] = (missing[j] ?? 0) + 1;
      else examples[j] ??= { row, value: field.trim() };
    }
    size += cols;
    rows++;
  });
  if (rows === 0 || cols <= 0) throw new RkmeInputError({ code: 'empty' });
  const columns = Array.from({ length: cols }, (_, j): CsvColumn => {
    const example = examples[j] ?? null;
    const name = header?.[j];
    return {
      name: name === undefined || name === '' ? null : name,
      kind: example ? 'text' : (finite[j] ?? 0) > 0 ? 'numeric' : 'noValue',
      missing: missing[j] ?? 0,
      example,
    };
  });
  return {
    profile: { header: header !== null, rows, columns, delimiter },
    data: data.slice(0, size),
  };
}

/** The 0-based indices of the columns that can be used (all `numeric` ones), in file order. */
export const numericColumns = (profile: CsvProfile): number[] =>
  profile.columns.flatMap((column, j) => (column.kind === 'numeric' ? [j] : []));

/**
 * The chosen columns (0-based, default every numeric one) as a matrix in file order, with
 * missing and ±inf cells replaced by their column's mean, like `bmw spec table --columns`.
 *
 * @throws RkmeInputError for no column, an unknown column, or a column that is not numeric.
 */
export function selectColumns(cells: CsvCells, columns?: readonly number[]): CsvTable {
  const { profile } = cells;
  const all = profile.columns.length;
  const used = columns ? [...new Set(columns)].sort((a, b) => a - b) : numericColumns(profile);
  if (used.length === 0) throw new RkmeInputError({ code: 'noColumns' });
  for (const j of used) {
    const column = profile.columns[j];
    if (!column) {
      throw new RkmeInputError({
        code: 'invalidOption',
        message: `no column ${j + 1}: the file has ${all}`,
      });
    }
    if (column.kind === 'text' && column.example) {
      throw new RkmeInputError({
        code: 'notNumeric',
        column: j + 1,
        name: column.name,
        ...column.example,
      });
    }
    if (column.kind === 'noValue') {
      throw new RkmeInputError({ code: 'noFiniteValue', column: j + 1, name: column.name });
    }
  }
  const { rows } = profile;
  const cols = used.length;
  const data = new Float64Array(rows * cols);
  let imputedRows = 0;
  for (let i = 0; i < rows; i++) {
    let complete = true;
    for (let t = 0; t < cols; t++) {
      const value = cells.data[i * all + (used[t] ?? 0)] ?? NaN;
      data[i * cols + t] = value;
      if (!Number.isFinite(value)) complete = false;
    }
    if (!complete) imputedRows++;
  }
  const matrix: Matrix = { data, rows, cols };
  const imputed = imputeColumnMeans(matrix);
  const names = profile.header ? used.map((j) => profile.columns[j]?.name ?? '') : null;
  return {
    ...matrix,
    header: names,
    used,
    imputed,
    imputedRows,
    delimiter: profile.delimiter,
    profile,
  };
}

/**
 * Parse numeric CSV text into a matrix of the chosen columns (default every numeric one):
 * `readCsv`, then `selectColumns`.
 */
export function parseCsv(
  text: string,
  options: { delimiter?: string; columns?: readonly number[] } = {},
): CsvTable {
  const { columns, ...read } = options;
  return selectColumns(readCsv(text, read), columns);
}

/**
 * Replace NaN and ±Infinity in place by the mean of the finite values of their column.
 *
 * @returns the number of replaced cells.
 * @throws RkmeInputError naming the first column without any finite value.
 */
export function imputeColumnMeans(matrix: Matrix, names: readonly string[] | null = null): number {
  const { data, rows, cols } = matrix;
  const sums = new Float64Array(cols);
  const counts = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[o + j] ?? NaN;
      if (Number.isFinite(v)) {
        sums[j] = (sums[j] ?? 0) + v;
        counts[j] = (counts[j] ?? 0) + 1;
      }
    }
  }
  let missing = 0;
  for (let j = 0; j < cols; j++) {
    const count = counts[j] ?? 0;
    if (count === rows) continue;
    if (count === 0) {
      const name = names?.[j];
      throw new RkmeInputError({
        code: 'noFiniteValue',
        column: j + 1,
        name: name === undefined || name === '' ? null : name,
      });
    }
    missing += rows - count;
    sums[j] = (sums[j] ?? 0) / count;
  }
  if (missing === 0) return 0;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      if (!Number.isFinite(data[o + j] ?? NaN)) data[o + j] = sums[j] ?? 0;
    }
  }
  return missing;
}

// ------------------------------------------------------------------------------ helpers

/** A seeded PRNG (mulberry32): uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` distinct indices of 0..n-1 in random order (a partial Fisher-Yates shuffle). */
function chooseWithoutReplacement(n: number, size: number, random: () => number): Int32Array {
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = index[i] ?? 0;
    index[i] = index[j] ?? 0;
    index[j] = tmp;
  }
  return index.slice(0, size);
}

/** The rows `picks` of a row-major matrix with `d` columns. */
function takeRows(data: Float64Array, d: number, picks: Int32Array): Float64Array {
  const out = new Float64Array(picks.length * d);
  for (let i = 0; i < picks.length; i++) {
    const src = (picks[i] ?? 0) * d;
    out.set(data.subarray(src, src + d), i * d);
  }
  return out;
}

/**
 * The Gaussian kernel matrix exp(-gamma ||a_i - b_j||^2) of the rows of A (na x d) and B
 * (nb x d), from explicit differences (exact diagonal 1 when A is B).
 */
export function rbfKernel(
  A: Float64Array,
  na: number,
  B: Float64Array,
  nb: number,
  d: number,
  gamma: number,
): Float64Array {
  const out = new Float64Array(na * nb);
  const symmetric = A === B && na === nb;
  for (let i = 0; i < na; i++) {
    const ai = i * d;
    const row = i * nb;
    if (symmetric) out[row + i] = 1;
    for (let j = symmetric ? i + 1 : 0; j < nb; j++) {
      const e = gamma * sqDist(A, ai, B, j * d, d);
      const k = e < EXP_UNDERFLOW ? Math.exp(-e) : 0;
      out[row + j] = k;
      if (symmetric) out[j * nb + i] = k;
    }
  }
  return out;
}

/** Squared distance between the `d`-vectors at offsets `ao` of `a` and `bo` of `b`. */
function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = (a[ao + t] ?? 0) - (b[bo + t] ?? 0);
    s += diff * diff;
  }
  return s;
}

/** b1' K(Z1, Z2) b2 for weighted point sets with `d` columns. */
export function weightedKernelSum(
  z1: Float64Array,
  b1: Float64Array,
  z2: Float64Array,
  b2: Float64Array,
  d: number,
  gamma: number,
): number {
  const n1 = b1.length;
  const n2 = b2.length;
  let total = 0;
  for (let i = 0; i < n1; i++) {
    const o = i * d;
    let row = 0;
    for (let j = 0; j < n2; j++) {
      const e = gamma * sqDist(z1, o, z2, j * d, d);
      if (e < EXP_UNDERFLOW) row += (b2[j] ?? 0) * Math.exp(-e);
    }
    total += (b1[i] ?? 0) * row;
  }
  return total;
}

/** The squared MMD between two weighted point sets (RBF kernel with one `gamma`). */
export function mmdSquared(
  z1: Float64Array,
  b1: Float64Array,
  z2: Float64Array,
  b2: Float64Array,
  d: number,
  gamma: number,
): number {
  const value =
    weightedKernelSum(z1, b1, z1, b1, d, gamma) -
    2 * weightedKernelSum(z1, b1, z2, b2, d, gamma) +
    weightedKernelSum(z2, b2, z2, b2, d, gamma);
  return Math.max(0, value);
}

/** A stat.json's z and beta as flat arrays (for `mmdSquared`). */
export function statArrays(stat: Pick<RkmeTableStat, 'z' | 'beta'>): {
  z: Float64Array;
  beta: Float64Array;
  d: number;
} {
  const d = stat.z[0]?.length ?? 0;
  const z = new Float64Array(stat.z.length * d);
  stat.z.forEach((row, i) => {
    z.set(row, i * d);
  });
  return { z, beta: Float64Array.from(stat.beta), d };
}

// --------------------------------------------------------------------------------- fitting

/** The original's caps on the reduced-set size. */
export function effectiveNPoints(k: number, n: number, d: number): number {
  let out = k;
  if (out * d > MAX_REDUCED_SET_SIZE) out = Math.max(20, Math.floor(MAX_REDUCED_SET_SIZE / d));
  if (out >= n) out = Math.max(1, Math.floor((2 * n) / 3));
  return out;
}

/** In-place Cholesky factor (lower) of the n x n matrix `a`; false if not positive definite. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j] ?? 0;
    for (let t = 0; t < j; t++) {
      const v = a[rj + t] ?? 0;
      s -= v * v;
    }
    if (!(s > 0)) return false;
    const diag = Math.sqrt(s);
    a[rj + j] = diag;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let v = a[ri + j] ?? 0;
      for (let t = 0; t < j; t++) v -= (a[ri + t] ?? 0) * (a[rj + t] ?? 0);
      a[ri + j] = v / diag;
    }
  }
  return true;
}

/** Solve L L' x = b in place (`b` becomes x) with the factor from `cholesky`. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let v = b[i] ?? 0;
    for (let t = 0; t < i; t++) v -= (l[ri + t] ?? 0) * (b[t] ?? 0);
    b[i] = v / (l[ri + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = b[i] ?? 0;
    for (let t = i + 1; t < n; t++) v -= (l[t * n + i] ?? 0) * (b[t] ?? 0);
    b[i] = v / (l[i * n + i] ?? 1);
  }
}

/**
 * Minimise 0.5 b'Qb - c'b subject to b >= 0 and sum(b) = 1 by the primal active-set method
 * (Nocedal & Wright, Alg. 16.3), warm-started from `beta0` if it is on the simplex.
 */
export function solveSimplexQp(
  Q: Float64Array,
  c: Float64Array,
  beta0: Float64Array | null = null,
  tol = 1e-12,
): Float64Array {
  const k = c.length;
  if (k === 1) return Float64Array.of(1);
  let beta: Float64Array;
  let sum0 = 0;
  let min0 = Infinity;
  if (beta0) {
    for (let i = 0; i < k; i++) {
      const v = beta0[i] ?? 0;
      sum0 += v;
      if (v < min0) min0 = v;
    }
  }
  if (beta0?.length === k && min0 >= 0 && Math.abs(sum0 - 1) <= 1e-9 * Math.max(1, sum0)) {
    beta = beta0.slice();
  } else {
    beta = new Float64Array(k).fill(1 / k);
  }
  const free = new Uint8Array(k);
  let diagMean = 0;
  for (let i = 0; i < k; i++) {
    free[i] = (beta[i] ?? 0) > 0 ? 1 : 0;
    diagMean += Q[i * k + i] ?? 0;
  }
  diagMean /= k;
  let jitter = QP_JITTER * Math.max(1, diagMean);
  const F = new Int32Array(k);
  const L = new Float64Array(k * k);
  const u = new Float64Array(k);
  const v = new Float64Array(k);
  for (let iter = 0; iter < 10 * k + 100; iter++) {
    let nf = 0;
    for (let i = 0; i < k; i++) if (free[i]) F[nf++] = i;
    for (let a = 0; a < nf; a++) {
      const qa = (F[a] ?? 0) * k;
      for (let b = 0; b <= a; b++) L[a * nf + b] = Q[qa + (F[b] ?? 0)] ?? 0;
      L[a * nf + a] = (L[a * nf + a] ?? 0) + jitter;
    }
    if (!cholesky(L, nf)) {
      jitter *= 100;
      continue;
    }
    for (let a = 0; a < nf; a++) {
      u[a] = c[F[a] ?? 0] ?? 0;
      v[a] = 1;
    }
    const us = u.subarray(0, nf);
    const vs = v.subarray(0, nf);
    choleskySolve(L, nf, us);
    choleskySolve(L, nf, vs);
    let su = 0;
    let sv = 0;
    for (let a = 0; a < nf; a++) {
      su += us[a] ?? 0;
      sv += vs[a] ?? 0;
    }
    const lam = (1 - su) / sv;
    // x = u + lam v: the equality-constrained optimum on the free set (kept in `us`).
    let xMin = Infinity;
    for (let a = 0; a < nf; a++) {
      const x = (us[a] ?? 0) + lam * (vs[a] ?? 0);
      us[a] = x;
      if (x < xMin) xMin = x;
    }
    if (xMin >= 0) {
      for (let a = 0; a < nf; a++) beta[F[a] ?? 0] = us[a] ?? 0;
      // Multipliers of beta_i >= 0 for the bound variables; the most negative one enters.
      let best = -1;
      let bestNu = Infinity;
      for (let i = 0; i < k; i++) {
        if (free[i]) continue;
        const qi = i * k;
        let nu = -(c[i] ?? 0) - lam;
        for (let j = 0; j < k; j++) nu += (Q[qi + j] ?? 0) * (beta[j] ?? 0);
        if (nu < bestNu) {
          bestNu = nu;
          best = i;
        }
      }
      if (best < 0 || bestNu >= -tol) break;
      free[best] = 1;
      continue;
    }
    // Step towards x until the first free variable hits 0 (it leaves the free set).
    let jMin = -1;
    let ratioMin = Infinity;
    for (let a = 0; a < nf; a++) {
      const i = F[a] ?? 0;
      const p = (us[a] ?? 0) - (beta[i] ?? 0);
      if (p < 0) {
        const ratio = (beta[i] ?? 0) / -p;
        if (ratio < ratioMin) {
          ratioMin = ratio;
          jMin = a;
        }
      }
    }
    const alpha = Math.min(1, ratioMin);
    for (let a = 0; a < nf; a++) {
      const i = F[a] ?? 0;
      beta[i] = (beta[i] ?? 0) + alpha * ((us[a] ?? 0) - (beta[i] ?? 0));
    }
    if (alpha < 1 && jMin >= 0) {
      const i = F[jMin] ?? 0;
      beta[i] = 0;
      free[i] = 0;
    }
  }
  let total = 0;
  for (let i = 0; i < k; i++) {
    const b = Math.max(0, beta[i] ?? 0);
    beta[i] = b;
    total += b;
  }
  for (let i = 0; i < k; i++) beta[i] = (beta[i] ?? 0) / total;
  return beta;
}

/**
 * `k` rows chosen greedily by kernel herding on a random candidate subset (the target
 * embedding is estimated on the candidates); a uniform subsample if too many would be needed.
 */
function herdingInit(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  gamma: number,
  random: () => number,
): Float64Array {
  const m = Math.min(n, Math.max(500, 4 * k));
  if (m > HERDING_MAX_CANDIDATES) return takeRows(X, d, chooseWithoutReplacement(n, k, random));
  const cand = m < n ? takeRows(X, d, chooseWithoutReplacement(n, m, random)) : X;
  const Kcc = rbfKernel(cand, m, cand, m, d, gamma);
  const target = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * m;
    for (let j = 0; j < m; j++) s += Kcc[o + j] ?? 0;
    target[i] = s / m;
  }
  const running = new Float64Array(m);
  const chosen = new Uint8Array(m);
  const picks = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < m; i++) {
      if (chosen[i]) continue;
      const score = (target[i] ?? 0) - (running[i] ?? 0) / (t + 1);
      if (best < 0 || score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picks[t] = best;
    chosen[best] = 1;
    const o = best * m;
    for (let i = 0; i < m; i++) running[i] = (running[i] ?? 0) + (Kcc[o + i] ?? 0);
  }
  return takeRows(cand, d, picks);
}

/**
 * One pass over the data: c_i = mean_j k(z_i, x_j) and m_i = mean_j k(z_i, x_j) x_j, in
 * float64 with explicit differences (the data is centred). Four points of z go together
 * through the rows of X (each row is loaded once for four kernel values: ~2x faster).
 */
function dataPass(
  X: Float64Array,
  n: number,
  d: number,
  gamma: number,
  z: Float64Array,
  k: number,
): { c: Float64Array; m: Float64Array } {
  const kp = Math.ceil(k / 4) * 4;
  // z padded to a multiple of 4 rows with copies of its first row (their results are dropped).
  const zp = new Float64Array(kp * d);
  zp.set(z.subarray(0, k * d));
  for (let i = k; i < kp; i++) zp.set(z.subarray(0, d), i * d);
  const c = new Float64Array(kp);
  const m = new Float64Array(kp * d);
  for (let i = 0; i < kp; i += 4) {
    const za = i * d;
    const zb = za + d;
    const zc = zb + d;
    const zd = zc + d;
    let ca = 0;
    let cb = 0;
    let cc = 0;
    let cd = 0;
    for (let j = 0, xo = 0; j < n; j++, xo += d) {
      let sa = 0;
      let sb = 0;
      let sc = 0;
      let sd = 0;
      for (let t = 0; t < d; t++) {
        const x = X[xo + t] ?? 0;
        const da = (zp[za + t] ?? 0) - x;
        const db = (zp[zb + t] ?? 0) - x;
        const dc = (zp[zc + t] ?? 0) - x;
        const dd = (zp[zd + t] ?? 0) - x;
        sa += da * da;
        sb += db * db;
        sc += dc * dc;
        sd += dd * dd;
      }
      // Math.exp of a large negative number is 0: far rows add nothing.
      const wa = Math.exp(-gamma * sa);
      const wb = Math.exp(-gamma * sb);
      const wc = Math.exp(-gamma * sc);
      const wd = Math.exp(-gamma * sd);
      if (wa + wb + wc + wd === 0) continue;
      ca += wa;
      cb += wb;
      cc += wc;
      cd += wd;
      for (let t = 0; t < d; t++) {
        const x = X[xo + t] ?? 0;
        m[za + t] = (m[za + t] ?? 0) + wa * x;
        m[zb + t] = (m[zb + t] ?? 0) + wb * x;
        m[zc + t] = (m[zc + t] ?? 0) + wc * x;
        m[zd + t] = (m[zd + t] ?? 0) + wd * x;
      }
    }
    c[i] = ca;
    c[i + 1] = cb;
    c[i + 2] = cc;
    c[i + 3] = cd;
  }
  for (let i = 0; i < k; i++) c[i] = (c[i] ?? 0) / n;
  for (let q = 0; q < k * d; q++) m[q] = (m[q] ?? 0) / n;
  return { c: c.slice(0, k), m: m.slice(0, k * d) };
}

/** b'Kb - 2c'b: MMD^2 to the data up to the constant mean k(x, x'). */
function objective(Kzz: Float64Array, c: Float64Array, beta: Float64Array): number {
  const k = beta.length;
  let quad = 0;
  let lin = 0;
  for (let i = 0; i < k; i++) {
    const bi = beta[i] ?? 0;
    if (bi === 0) continue;
    let row = 0;
    const o = i * k;
    for (let j = 0; j < k; j++) row += (Kzz[o + j] ?? 0) * (beta[j] ?? 0);
    quad += bi * row;
    lin += (c[i] ?? 0) * bi;
  }
  return quad - 2 * lin;
}

/** What `fitTableRkme` reports while it runs. */
export type RkmeFitProgress =
  { phase: 'init' } | { phase: 'iteration'; iteration: number; maxIter: number; objective: number };

export type RkmeFitOptions = {
  /** Kernel parameter (default 0.1, the market's shared value). */
  gamma?: number;
  /** Reduced-set size K before the caps (default 100). */
  nPoints?: number;
  /** Optimisation steps on z (default 10). */
  maxIter?: number;
  /** Stop when the largest accepted move is below tol / sqrt(gamma) (default 1e-4). */
  tol?: number;
  /** Seed of the candidate subsample (default 0). */
  seed?: number;
  onProgress?: (progress: RkmeFitProgress) => void;
};

export type ReducedSet = {
  /** K x d, row-major, in the data's coordinates. */
  z: Float64Array;
  beta: Float64Array;
  k: number;
  nIter: number;
  /** b'Kb - 2c'b of the result (MMD^2 to the data minus mean k(x, x')). */
  objective: number;
};

function checkOptions(options: RkmeFitOptions) {
  const gamma = options.gamma ?? DEFAULT_GAMMA;
  const nPoints = options.nPoints ?? DEFAULT_N_POINTS;
  const maxIter = options.maxIter ?? 10;
  const tol = options.tol ?? 1e-4;
  const bad = (message: string) => new RkmeInputError({ code: 'invalidOption', message });
  if (!(Number.isFinite(gamma) && gamma > 0))
    throw bad(`gamma must be finite and > 0, got ${gamma}`);
  if (!(Number.isInteger(nPoints) && nPoints >= 1))
    throw bad(`nPoints must be an int >= 1, got ${nPoints}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 0))
    throw bad(`maxIter must be an int >= 0, got ${maxIter}`);
  if (!(tol >= 0)) throw bad(`tol must be a number >= 0, got ${tol}`);
  return { gamma, nPoints, maxIter, tol, seed: options.seed ?? 0 };
}

/**
 * The reduced set of a finite matrix (Python's `_fit_reduced_set`): herding initialisation,
 * then alternating exact beta and preconditioned momentum steps on z.
 *
 * With beta fixed, L(z) = b'K_zz b - 2 b'c(z) and
 *   grad_i = -4 gamma b_i [ sum_j b_j k_ij (z_i - z_j) - (c_i z_i - m_i) ];
 * dividing by 4 gamma b_i max(c_i, s_i) (s_i = sum_j b_j k_ij) gives a mean-shift-like step.
 */
export function fitReducedSet(X: Matrix, options: RkmeFitOptions = {}): ReducedSet {
  const { gamma, nPoints, maxIter, tol, seed } = checkOptions(options);
  const { rows: n, cols: d } = X;
  if (n < 1 || d < 1) throw new RkmeInputError({ code: 'empty' });
  const k = effectiveNPoints(nPoints, n, d);
  const random = mulberry32(seed);
  options.onProgress?.({ phase: 'init' });

  // MMD is translation invariant: work on centred data.
  const center = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) center[t] = (center[t] ?? 0) + (X.data[o + t] ?? 0);
  }
  for (let t = 0; t < d; t++) center[t] = (center[t] ?? 0) / n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) Xc[o + t] = (X.data[o + t] ?? 0) - (center[t] ?? 0);
  }

  let z = herdingInit(Xc, n, d, k, gamma, random);
  let { c, m } = dataPass(Xc, n, d, gamma, z, k);
  let Kzz = rbfKernel(z, k, z, k, d, gamma);
  let beta = solveSimplexQp(Kzz, c, null, 1e-12);
  let obj = objective(Kzz, c, beta);

  const radius = 1 / Math.sqrt(gamma); // trust radius: one kernel length scale
  let eta = 1;
  const momentum = 0.7;
  let velocity = new Float64Array(k * d);
  const direction = new Float64Array(k * d);
  const step = new Float64Array(k * d);
  let nIter = 0;
  while (nIter < maxIter) {
    nIter++;
    // direction_i = [m_i - c_i z_i + s_i z_i - sum_j b_j k_ij z_j] / max(c_i, s_i)
    direction.fill(0);
    let largest = 0;
    for (let i = 0; i < k; i++) {
      const o = i * d;
      const ko = i * k;
      let s = 0;
      for (let j = 0; j < k; j++) {
        const w = (Kzz[ko + j] ?? 0) * (beta[j] ?? 0);
        if (w === 0) continue;
        s += w;
        const p = j * d;
        for (let t = 0; t < d; t++)
          direction[o + t] = (direction[o + t] ?? 0) - w * (z[p + t] ?? 0);
      }
      const ci = c[i] ?? 0;
      const scale = 1 / Math.max(ci, s, 1e-300);
      let len2 = 0;
      for (let t = 0; t < d; t++) {
        const zt = z[o + t] ?? 0;
        const dir = ((direction[o + t] ?? 0) + (m[o + t] ?? 0) - ci * zt + s * zt) * scale;
        const st = momentum * (velocity[o + t] ?? 0) + eta * dir;
        step[o + t] = st;
        len2 += st * st;
      }
      const length = Math.sqrt(len2);
      if (length > largest) largest = length;
      const shrink = Math.min(1, radius / Math.max(length, 1e-300));
      if (shrink < 1) for (let t = 0; t < d; t++) step[o + t] = (step[o + t] ?? 0) * shrink;
    }
    const largestMove = Math.min(largest, radius);

    const zNew = new Float64Array(k * d);
    for (let i = 0; i < k * d; i++) zNew[i] = (z[i] ?? 0) + (step[i] ?? 0);
    const next = dataPass(Xc, n, d, gamma, zNew, k);
    const KzzNew = rbfKernel(zNew, k, zNew, k, d, gamma);
    const betaNew = solveSimplexQp(KzzNew, next.c, beta, 1e-12);
    const objNew = objective(KzzNew, next.c, betaNew);
    let stop = false;
    if (objNew <= obj) {
      // Monotone: never accept a worse reduced set.
      z = zNew;
      c = next.c;
      m = next.m;
      Kzz = KzzNew;
      beta = betaNew;
      obj = objNew;
      velocity = step.slice();
      eta = Math.min(1, eta * 1.25);
      if (largestMove < tol * radius) stop = true;
    } else {
      velocity = new Float64Array(k * d);
      eta *= 0.5;
      if (eta < 1e-3) stop = true;
    }
    options.onProgress?.({ phase: 'iteration', iteration: nIter, maxIter, objective: obj });
    if (stop) break;
  }

  for (let i = 0; i < k; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) z[o + t] = (z[o + t] ?? 0) + (center[t] ?? 0);
  }
  return { z, beta, k, nIter, objective: obj };
}

/** The stat.json object of a reduced set (the keys and order of Python's `to_dict`). */
export function toStat(
  set: Pick<ReducedSet, 'z' | 'beta' | 'k'>,
  d: number,
  gamma: number,
  numPoints: number,
): RkmeTableStat {
  const z: number[][] = [];
  for (let i = 0; i < set.k; i++) z.push(Array.from(set.z.subarray(i * d, (i + 1) * d)));
  return {
    z,
    beta: Array.from(set.beta),
    gamma,
    num_points: numPoints,
    type: RKME_TABLE_TYPE,
  };
}

/** `fitTableRkme`'s options: `fitReducedSet`'s, with a gamma that may be `'median'`. */
export type TableFitOptions = Omit<RkmeFitOptions, 'gamma'> & {
  /**
   * The kernel parameter the reduced set is fitted under: a number > 0, or `'median'` for the
   * median heuristic on the fitted columns (default 0.1, or `'median'` when standardising).
   */
  gamma?: number | 'median';
  /**
   * Fit on robustly standardised columns and map the points back to the data's units
   * (`bmw spec table`'s default; here off by default: the original's raw fit).
   */
  standardize?: boolean;
};

/** A column's scale below this times its largest |value| counts as 0 (the dock's rule). */
const CONST_REL = 1e-9;
/** The interquartile range of the standard normal. */
const IQR_TO_SIGMA = 1.3489795003921634;
/** Rows the median heuristic looks at (a seeded subsample beyond). */
const MEDIAN_MAX_SAMPLES = 1000;

/** Quantile q of sorted values with midpoint CDF (i + 0.5) / n and linear interpolation. */
function midpointQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const position = q * n - 0.5; // the index whose CDF is q
  if (position <= 0) return sorted[0] ?? 0;
  if (position >= n - 1) return sorted[n - 1] ?? 0;
  const lo = Math.floor(position);
  const f = position - lo;
  return (sorted[lo] ?? 0) * (1 - f) + (sorted[lo + 1] ?? 0) * f;
}

/**
 * The robust centre and scale of every column of a finite matrix: the dock's island-kernel
 * rule (`fit_island_kernel`, which `bmw spec table` uses): the median, and IQR / 1.349, else the
 * standard deviation (a binary column), else the largest |value| (a constant column), else 1.
 */
export function robustColumnScales(X: Matrix): { center: Float64Array; scale: Float64Array } {
  const { data, rows: n, cols: d } = X;
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  const column = new Float64Array(n);
  for (let t = 0; t < d; t++) {
    let sum = 0;
    let magnitude = 0;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + t] ?? 0;
      column[i] = v;
      sum += v;
      magnitude = Math.max(magnitude, Math.abs(v));
    }
    const mean = sum / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += ((column[i] ?? 0) - mean) ** 2;
    const std = Math.sqrt(variance / n);
    column.sort();
    center[t] = midpointQuantile(column, 0.5);
    const tiny = CONST_REL * magnitude;
    let s = (midpointQuantile(column, 0.75) - midpointQuantile(column, 0.25)) / IQR_TO_SIGMA;
    if (!(s > tiny)) s = std;
    if (!(s > tiny)) s = magnitude > 0 ? magnitude : 1;
    scale[t] = s;
  }
  return { center, scale };
}

/**
 * The median heuristic `1 / (2 median ||x_i - x_j||^2)` over the distinct pairs of at most
 * 1,000 rows (a seeded subsample), as Python's `median_heuristic_gamma`: the mean positive
 * squared distance if the median is 0, and 0.1 if every row is the same.
 */
export function medianHeuristicGamma(X: Matrix, seed = 0): number {
  const { rows: n, cols: d } = X;
  const m = Math.min(n, MEDIAN_MAX_SAMPLES);
  const rows =
    m < n ? takeRows(X.data, d, chooseWithoutReplacement(n, m, mulberry32(seed))) : X.data;
  const pairs = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) pairs[p++] = sqDist(rows, i * d, rows, j * d, d);
  }
  if (pairs.length === 0) return DEFAULT_GAMMA;
  pairs.sort();
  const mid = pairs.length >> 1;
  let median =
    pairs.length % 2 ? (pairs[mid] ?? 0) : ((pairs[mid - 1] ?? 0) + (pairs[mid] ?? 0)) / 2;
  if (!(median > 0)) {
    let sum = 0;
    let count = 0;
    for (const v of pairs) {
      if (v > 0) {
        sum += v;
        count++;
      }
    }
    if (count === 0) return DEFAULT_GAMMA;
    median = sum / count;
  }
  return 1 / (2 * median);
}

/**
 * Fit the table RKME of `X` (Python's `RKMETableSpecification(...).fit(X).to_dict()`).
 * NaN and ±Infinity are replaced by their column's mean first (on a copy).
 *
 * With `standardize` (`bmw spec table`'s default fit, `learnware_core.cli.spec.fit_table`):
 * the reduced set is fitted on `(X - c) / s` (robust centre and scale per column, see
 * `robustColumnScales`), so that one column in large raw units (a row number up to 15,000)
 * does not make the kernel blind to the others; its points are mapped back, `z = z_s s + c`,
 * so the stat.json keeps the data's own units. The stored gamma is `gamma_s / mean(s^2)`,
 * the isotropic raw-unit kernel with the same typical exponent: provenance more than a kernel,
 * since the dock compares table specifications under its own kernel.
 */
export function fitTableRkme(X: Matrix, options: TableFitOptions = {}): RkmeTableStat {
  const { gamma: requested, standardize = false, ...rest } = options;
  let matrix = X;
  if (!X.data.every(Number.isFinite)) {
    matrix = { ...X, data: X.data.slice() };
    imputeColumnMeans(matrix);
  }
  if (!standardize || X.rows < 1 || X.cols < 1) {
    const gamma =
      requested === 'median'
        ? X.rows < 1 || X.cols < 1
          ? DEFAULT_GAMMA
          : medianHeuristicGamma(matrix, rest.seed)
        : (requested ?? DEFAULT_GAMMA);
    const set = fitReducedSet(matrix, { ...rest, gamma });
    return toStat(set, X.cols, gamma, X.rows);
  }
  const { rows: n, cols: d } = matrix;
  const { center, scale } = robustColumnScales(matrix);
  const scaled = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++)
      scaled[o + t] = ((matrix.data[o + t] ?? 0) - (center[t] ?? 0)) / (scale[t] ?? 1);
  }
  const Xs = { data: scaled, rows: n, cols: d };
  const gamma =
    requested === undefined || requested === 'median'
      ? medianHeuristicGamma(Xs, rest.seed)
      : requested;
  const set = fitReducedSet(Xs, { ...rest, gamma });
  let meanSquare = 0;
  for (let t = 0; t < d; t++) meanSquare += (scale[t] ?? 1) ** 2 / d;
  for (let i = 0; i < set.k; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++)
      set.z[o + t] = (set.z[o + t] ?? 0) * (scale[t] ?? 1) + (center[t] ?? 0);
  }
  return toStat(set, d, gamma / meanSquare, n);
}
