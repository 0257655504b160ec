/**
 * The browser's RKME against the Python one on the same CSV. The fixtures come from
 * `scripts/rkme-reference.py` (run it with the repository's venv to regenerate them).
 */
import { expect, test } from 'vitest';

import csvText from '../__fixtures__/mixture.csv?raw';
import meta from '../__fixtures__/mixture.meta.json';
import pythonStat from '../__fixtures__/mixture.stat.json';
import { fitTableRkme, mmdSquared, parseCsv, statArrays } from '../rkme-table';

const table = parseCsv(csvText);
const tsStat = fitTableRkme(table, { seed: 0 });
const ts = statArrays(tsStat);
const py = statArrays(pythonStat);
const gamma = pythonStat.gamma;
const d = table.cols;
const uniform = new Float64Array(table.rows).fill(1 / table.rows);

const toData = (spec: { z: Float64Array; beta: Float64Array }) =>
  mmdSquared(spec.z, spec.beta, table.data, uniform, d, gamma);

test('the CSV reads as Python read it', () => {
  expect(table.header).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
  expect([table.rows, table.cols, table.imputed]).toEqual([meta.rows, meta.columns, meta.missing]);
});

test('the same stat.json format: keys, shapes, gamma, num_points; beta on the simplex', () => {
  expect(Object.keys(tsStat)).toEqual(Object.keys(pythonStat));
  expect(tsStat.type).toBe(pythonStat.type);
  expect(tsStat.gamma).toBe(pythonStat.gamma);
  expect(tsStat.num_points).toBe(pythonStat.num_points);
  expect(tsStat.z).toHaveLength(pythonStat.z.length);
  expect(tsStat.beta).toHaveLength(pythonStat.beta.length);
  expect(tsStat.z.every((row) => row.length === d)).toBe(true);
  expect(tsStat.beta.every((b) => b >= 0)).toBe(true);
  expect(tsStat.beta.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  // JSON round trip is exact (what the search sends is what was fitted).
  expect(JSON.parse(JSON.stringify(tsStat))).toEqual(tsStat);
});

test('within tolerance the same embedding as Python', () => {
  const between = mmdSquared(ts.z, ts.beta, py.z, py.beta, d, gamma);
  // Scale: the Python spec against the spec of the data shifted by half a standard deviation
  // in every column (MMD is translation invariant, so that spec is Python's, translated).
  const shift = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    let mean = 0;
    for (let i = 0; i < table.rows; i++) mean += table.data[i * d + t] ?? 0;
    mean /= table.rows;
    let variance = 0;
    for (let i = 0; i < table.rows; i++) variance += ((table.data[i * d + t] ?? 0) - mean) ** 2;
    shift[t] = 0.5 * Math.sqrt(variance / table.rows);
  }
  const shifted = py.z.map((v, i) => v + (shift[i % d] ?? 0));
  const scale = mmdSquared(py.z, py.beta, shifted, py.beta, d, gamma);

  const tsObjective = toData(ts);
  const pyObjective = toData(py);
  // The Python numbers in the fixture agree with this test's MMD.
  expect(pyObjective).toBeCloseTo(meta.python_mmd2_to_data, 10);

  console.info(
    `TS vs Python: MMD² between specs ${between.toExponential(3)} (seed 0 vs 1 in Python: ` +
      `${meta.python_mmd2_seed0_seed1.toExponential(3)}; half-std shift: ${scale.toExponential(3)}); ` +
      `MMD² to the data: TS ${tsObjective.toExponential(3)}, Python ${pyObjective.toExponential(3)}`,
  );
  expect(between).toBeLessThan(0.1 * scale);
  expect(between).toBeLessThan(3 * meta.python_mmd2_seed0_seed1);
  expect(tsObjective).toBeLessThan(1.2 * pyObjective);
  expect(tsObjective).toBeGreaterThan(0);
});
