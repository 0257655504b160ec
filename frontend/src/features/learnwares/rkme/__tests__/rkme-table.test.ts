import { describe, expect, test } from 'vitest';

import {
  effectiveNPoints,
  fitTableRkme,
  forEachCsvRecord,
  type Matrix,
  medianHeuristicGamma,
  mmdSquared,
  mulberry32,
  parseCell,
  parseCsv,
  readCsv,
  RkmeInputError,
  type RkmeProblem,
  robustColumnScales,
  selectColumns,
  solveSimplexQp,
  statArrays,
} from '../rkme-table';

const rowsOf = (m: Matrix) =>
  Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );

const problemOf = (run: () => unknown): RkmeProblem => {
  try {
    run();
  } catch (error) {
    if (error instanceof RkmeInputError) return error.problem;
    throw error;
  }
  throw new Error('no error');
};

describe('parseCell', () => {
  test('numbers, infinities and everything else', () => {
    expect(parseCell(' 1.5 ')).toBe(1.5);
    expect(parseCell('-2e3')).toBe(-2000);
    expect(parseCell('.5')).toBe(0.5);
    expect(parseCell('+7.')).toBe(7);
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('Infinity')).toBe(Infinity);
    for (const text of ['', 'NA', 'nan', 'abc', '0x10', '1,5', '1e', '--1']) {
      expect(parseCell(text), text).toBeNaN();
    }
  });
});

describe('forEachCsvRecord', () => {
  const records = (text: string, delimiter = ',') => {
    const out: [string[], number][] = [];
    forEachCsvRecord(text, delimiter, (fields, row) => {
      out.push([[...fields], row]);
    });
    return out;
  };

  test('quoted fields hold delimiters, doubled quotes and line breaks', () => {
    expect(records('a,"b,c","say ""hi"""\r\n"multi\nline",2,3\n')).toEqual([
      [['a', 'b,c', 'say "hi"'], 1],
      [['multi\nline', '2', '3'], 2],
    ]);
  });

  test('row numbers count lines; blank lines are skipped; a trailing delimiter is a field', () => {
    expect(records('\uFEFF1,2\n\n  \r3,4\r\n5,\n')).toEqual([
      [['1', '2'], 1],
      [['3', '4'], 4],
      [['5', ''], 5],
    ]);
    expect(records('x\ty\n1\t2', '\t')).toEqual([
      [['x', 'y'], 1],
      [['1', '2'], 2],
    ]);
  });

  test('an unclosed quote names the row where it opens', () => {
    expect(problemOf(() => records('1,2\n3,"4\n5,6\n'))).toEqual({
      code: 'unterminatedQuote',
      row: 2,
    });
  });
});

describe('parseCsv', () => {
  test('a non-numeric first row is the header', () => {
    const table = parseCsv('age,"income, net",score\n30,1000,0.5\n40,2000,1.5\n');
    expect(table.header).toEqual(['age', 'income, net', 'score']);
    expect([table.rows, table.cols, table.imputed]).toEqual([2, 3, 0]);
    expect(rowsOf(table)).toEqual([
      [30, 1000, 0.5],
      [40, 2000, 1.5],
    ]);
  });

  test('a numeric first row is data (missing markers do not make it a header)', () => {
    const table = parseCsv('1,NA,3\n4,5,6\n');
    expect(table.header).toBeNull();
    expect(rowsOf(table)).toEqual([
      [1, 5, 3],
      [4, 5, 6],
    ]);
  });

  test('missing and infinite cells get the mean of their column; no row is dropped', () => {
    const table = parseCsv('a,b\n1,10\n,NA\n3,"20"\n-inf,\n');
    expect([table.rows, table.imputed, table.imputedRows]).toEqual([4, 4, 2]);
    expect(rowsOf(table)).toEqual([
      [1, 10],
      [2, 15],
      [3, 20],
      [2, 15],
    ]);
  });

  test('by default only numeric columns are used; text and empty ones are left out', () => {
    const table = parseCsv('id,x,note,y,blank\nA,1,ok,2,\nB,,fine,4,\nC,3,7,inf,\n');
    expect(table.used).toEqual([1, 3]);
    expect(table.header).toEqual(['x', 'y']);
    expect(rowsOf(table)).toEqual([
      [1, 2],
      [2, 4],
      [3, 3],
    ]);
    expect([table.imputed, table.imputedRows]).toEqual([2, 2]);
    expect(table.profile.columns).toEqual([
      { name: 'id', kind: 'text', missing: 0, example: { row: 2, value: 'A' } },
      { name: 'x', kind: 'numeric', missing: 1, example: null },
      { name: 'note', kind: 'text', missing: 0, example: { row: 2, value: 'ok' } },
      { name: 'y', kind: 'numeric', missing: 1, example: null },
      { name: 'blank', kind: 'noValue', missing: 3, example: null },
    ]);
  });

  test('tabs and semicolons are detected when the first line has no comma', () => {
    expect(rowsOf(parseCsv('x\ty\n1\t2\n'))).toEqual([[1, 2]]);
    expect(rowsOf(parseCsv('1;2\n3;4\n'))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test('a ragged row is named with its line and both counts', () => {
    expect(problemOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n'))).toEqual({
      code: 'ragged',
      row: 3,
      expected: 3,
      found: 2,
    });
  });

  test('a chosen column that cannot be used is named, by header if there is one', () => {
    expect(problemOf(() => parseCsv('id,x\n"a",1\n"b",2\n', { columns: [0, 1] }))).toEqual({
      code: 'notNumeric',
      column: 1,
      name: 'id',
      row: 2,
      value: 'a',
    });
    expect(problemOf(() => parseCsv('1,\n2,\n', { columns: [0, 1] }))).toEqual({
      code: 'noFiniteValue',
      column: 2,
      name: null,
    });
    expect(problemOf(() => parseCsv('id\na\n'))).toEqual({ code: 'noColumns' });
    expect(problemOf(() => parseCsv('1,2\n', { columns: [2] }))).toMatchObject({
      code: 'invalidOption',
    });
    const error = (() => {
      try {
        parseCsv('1,\n2,\n', { columns: [1] });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/column 2 has no finite numeric value/);
  });

  test('the chosen columns are used once each, in file order', () => {
    const cells = readCsv('a,b,c\n1,2,3\n4,5,6\n');
    const table = selectColumns(cells, [2, 0, 2]);
    expect([table.used, table.header, table.cols]).toEqual([[0, 2], ['a', 'c'], 2]);
    expect(rowsOf(table)).toEqual([
      [1, 3],
      [4, 6],
    ]);
  });

  test('no data rows', () => {
    expect(problemOf(() => parseCsv(''))).toEqual({ code: 'empty' });
    expect(problemOf(() => parseCsv('a,b\n\n'))).toEqual({ code: 'empty' });
  });
});

describe('solveSimplexQp', () => {
  test('meets the KKT conditions of min 0.5 b’Qb - c’b on the simplex', () => {
    const random = mulberry32(3);
    const k = 30;
    const d = 4;
    const z = Float64Array.from({ length: k * d }, () => 3 * random());
    const Q = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += ((z[i * d + t] ?? 0) - (z[j * d + t] ?? 0)) ** 2;
        Q[i * k + j] = Math.exp(-0.5 * s);
      }
    }
    const c = Float64Array.from({ length: k }, () => random());
    const beta = solveSimplexQp(Q, c);
    expect(beta.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const grad = Array.from({ length: k }, (_, i) => {
      let g = -(c[i] ?? 0);
      for (let j = 0; j < k; j++) g += (Q[i * k + j] ?? 0) * (beta[j] ?? 0);
      return g;
    });
    const free = grad.filter((_, i) => (beta[i] ?? 0) > 1e-12);
    const lam = free.reduce((a, b) => a + b, 0) / free.length;
    grad.forEach((g, i) => {
      expect(beta[i]).toBeGreaterThanOrEqual(0);
      if ((beta[i] ?? 0) > 1e-12) expect(Math.abs(g - lam)).toBeLessThan(1e-7);
      else expect(g - lam).toBeGreaterThan(-1e-7);
    });
    expect(Array.from(solveSimplexQp(Float64Array.of(2), Float64Array.of(5)))).toEqual([1]);
  });
});

describe('fitTableRkme', () => {
  test('the caps on K are the original’s', () => {
    expect(effectiveNPoints(100, 1000, 5)).toBe(100);
    expect(effectiveNPoints(100, 90, 5)).toBe(60);
    expect(effectiveNPoints(100, 1, 5)).toBe(1);
    expect(effectiveNPoints(100, 10 ** 6, 20_000)).toBe(65);
  });

  test('returns the stat.json shape, reports progress and imputes a copy', () => {
    const random = mulberry32(1);
    const n = 200;
    const d = 3;
    const data = Float64Array.from({ length: n * d }, () => random() * 4);
    data[5] = NaN;
    const progress: string[] = [];
    const stat = fitTableRkme(
      { data, rows: n, cols: d },
      { nPoints: 20, seed: 4, onProgress: (p) => progress.push(p.phase) },
    );
    expect(Object.keys(stat)).toEqual(['z', 'beta', 'gamma', 'num_points', 'type']);
    expect(stat).toMatchObject({ gamma: 0.1, num_points: 200, type: 'RKMETableSpecification' });
    expect(stat.z).toHaveLength(20);
    expect(stat.z.every((row) => row.length === 3 && row.every(Number.isFinite))).toBe(true);
    expect(stat.beta.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(stat.beta.every((b) => b >= 0)).toBe(true);
    expect(progress[0]).toBe('init');
    expect(progress.slice(1).every((p) => p === 'iteration')).toBe(true);
    expect(data[5]).toBeNaN();
    // The same seed gives the same spec.
    expect(fitTableRkme({ data, rows: n, cols: d }, { nPoints: 20, seed: 4 })).toEqual(stat);
  });

  test('refuses bad options', () => {
    const m = { data: Float64Array.of(1, 2, 3), rows: 3, cols: 1 };
    expect(problemOf(() => fitTableRkme(m, { gamma: 0 })).code).toBe('invalidOption');
    expect(problemOf(() => fitTableRkme(m, { nPoints: 1.5 })).code).toBe('invalidOption');
  });
});

describe('standardised fit', () => {
  // Values from learnware_core (island_kernel._column_scales, median_heuristic_gamma).
  const small: Matrix = {
    data: Float64Array.from([1, 0, 5, 2, 0, 5, 4, 1, 5, 8, 0, 5, 16, 0, 5]),
    rows: 5,
    cols: 3,
  };

  test('robust centre and scale are the dock’s: median, IQR / 1.349, else std, else magnitude', () => {
    const { center, scale } = robustColumnScales(small);
    [4, 0, 5].forEach((value, t) => {
      expect(center[t]).toBeCloseTo(value, 12);
    });
    [6.115734151335607, 0.18532527731320003, 5].forEach((value, t) => {
      expect(scale[t]).toBeCloseTo(value, 12);
    });
    const binary: Matrix = { data: Float64Array.from([0, 0, 1, 1]), rows: 4, cols: 1 };
    expect(robustColumnScales(binary).scale[0]).toBeCloseTo(1 / 1.3489795003921634, 12);
    const spread: Matrix = { data: Float64Array.from([0, 0, 0, 0, 0, 0, 0, 3]), rows: 8, cols: 1 };
    // IQR 0: the standard deviation.
    expect(robustColumnScales(spread).scale[0]).toBeCloseTo(Math.sqrt(63 / 64), 12);
  });

  test('the median heuristic is Python’s', () => {
    expect(medianHeuristicGamma(small)).toBeCloseTo(0.011764705882352941, 15);
    const same: Matrix = { data: Float64Array.from([2, 2, 2]), rows: 3, cols: 1 };
    expect(medianHeuristicGamma(same)).toBe(0.1);
  });

  /** Rows in raw units: a row number up to 15,000 beside two columns of unit scale. */
  const rawUnits = (n: number, seed: number): Matrix => {
    const random = mulberry32(seed);
    const data = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const cluster = random() < 0.5 ? -2 : 2;
      data[i * 3] = Math.round(random() * 15_000);
      data[i * 3 + 1] = cluster + random() - 0.5;
      data[i * 3 + 2] = -cluster + random() - 0.5;
    }
    return { data, rows: n, cols: 3 };
  };

  test('points are fitted on standardised columns and mapped back to the data’s units', () => {
    const X = rawUnits(300, 7);
    const { center, scale } = robustColumnScales(X);
    const scaled = X.data.map((v, q) => (v - (center[q % 3] ?? 0)) / (scale[q % 3] ?? 1));
    const options = { nPoints: 15, maxIter: 4, seed: 2, gamma: 0.2 } as const;
    const inner = fitTableRkme({ ...X, data: scaled }, options);
    const stat = fitTableRkme(X, { ...options, standardize: true });

    expect(Object.keys(stat)).toEqual(['z', 'beta', 'gamma', 'num_points', 'type']);
    expect(stat.beta).toEqual(inner.beta);
    stat.z.forEach((row, i) => {
      row.forEach((value, t) => {
        const expected = (inner.z[i]?.[t] ?? 0) * (scale[t] ?? 1) + (center[t] ?? 0);
        expect(value).toBeCloseTo(expected, 6);
      });
    });
    const meanSquare = Array.from(scale).reduce((a, s) => a + s * s, 0) / 3;
    expect(stat.gamma).toBeCloseTo(0.2 / meanSquare, 15);
    expect(stat.num_points).toBe(300);
    // By default: the median heuristic on the standardised columns.
    const byDefault = fitTableRkme(X, { nPoints: 15, maxIter: 4, seed: 2, standardize: true });
    expect(byDefault.gamma * meanSquare).toBeCloseTo(
      medianHeuristicGamma({ ...X, data: scaled }, 2),
      12,
    );
  });

  test('one huge-range column no longer hides the others', () => {
    const X = rawUnits(400, 3);
    const { center, scale } = robustColumnScales(X);
    const scaled = X.data.map((v, q) => (v - (center[q % 3] ?? 0)) / (scale[q % 3] ?? 1));
    const uniform = new Float64Array(X.rows).fill(1 / X.rows);
    // MMD² to the data under a kernel that sees every column (on standardised units).
    const fit = (options: Parameters<typeof fitTableRkme>[1]) => {
      const { z, beta } = statArrays(fitTableRkme(X, { nPoints: 20, seed: 1, ...options }));
      const zs = z.map((v, q) => (v - (center[q % 3] ?? 0)) / (scale[q % 3] ?? 1));
      return mmdSquared(zs, beta, scaled, uniform, 3, 0.5);
    };
    const standardised = fit({ standardize: true });
    const raw = fit({ gamma: 'median' });
    expect(standardised).toBeLessThan(raw / 10);
  });
});
