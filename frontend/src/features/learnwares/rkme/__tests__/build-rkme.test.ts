import { waitFor } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';

import {
  buildRkmeFromText,
  type BuildRkmeMessage,
  type BuildRkmeOptions,
  type BuildRkmeProgress,
  type BuildRkmeResult,
  toFailure,
} from '../build-rkme';
import type { CsvProfile } from '../rkme-table';
import { startRkmeBuild } from '../use-build-rkme';

const CSV = ['x;y', ...Array.from({ length: 12 }, (_, i) => `${i};${(i * 7) % 5}`)].join('\n');

afterEach(() => {
  window.onmessage = null;
});

test('without Worker the build runs inline and reports every stage in order', async () => {
  expect(typeof Worker).toBe('undefined'); // jsdom
  const phases: BuildRkmeProgress['phase'][] = [];
  const done = vi.fn<(result: BuildRkmeResult) => void>();
  const onError = vi.fn();
  startRkmeBuild(
    new File([CSV], 'data.csv'),
    { onProgress: (p) => phases.push(p.phase), onDone: done, onError },
    { maxIter: 3 },
  );
  await waitFor(() => {
    expect(done).toHaveBeenCalledTimes(1);
  });
  expect(onError).not.toHaveBeenCalled();
  expect(phases.slice(0, 3)).toEqual(['reading', 'parsing', 'init']);
  expect(phases.slice(3).every((phase) => phase === 'iteration')).toBe(true);
  expect(phases.length).toBeGreaterThan(3);
  const result = done.mock.calls[0]?.[0];
  expect(result).toMatchObject({ rows: 12, columns: 2, header: ['x', 'y'], imputed: 0 });
  expect(result?.stat.z).toHaveLength(8);
  expect(result && JSON.parse(result.text)).toEqual(result?.stat);
});

test('a stopped build calls nothing any more', async () => {
  const onDone = vi.fn();
  const onError = vi.fn();
  const onProgress = vi.fn();
  const stop = startRkmeBuild(new File([CSV], 'data.csv'), { onProgress, onDone, onError });
  stop();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(onProgress).toHaveBeenCalledTimes(1); // "reading", before it was stopped
  expect(onDone).not.toHaveBeenCalled();
  expect(onError).not.toHaveBeenCalled();
});

test('the worker answers a file with progress, then the result or the problem', async () => {
  const posted: BuildRkmeMessage[] = [];
  vi.spyOn(window, 'postMessage').mockImplementation((message: unknown) => {
    posted.push(message as BuildRkmeMessage);
  });
  await import('../rkme.worker');
  const send = (text: string) => {
    const file = { text: () => Promise.resolve(text) };
    window.onmessage?.(new MessageEvent('message', { data: { file } }));
  };

  send(CSV);
  await waitFor(() => {
    expect(posted.at(-1)?.type).toBe('done');
  });
  expect(posted[0]).toEqual({ type: 'progress', progress: { phase: 'reading' } });
  expect(posted.slice(0, -1).map((message) => message.type)).toEqual([
    'progress',
    'progress',
    'table',
    ...posted.slice(3, -1).map(() => 'progress'),
  ]);
  expect(posted.find((message) => message.type === 'table')).toMatchObject({
    table: { header: true, rows: 12, columns: [{ name: 'x' }, { name: 'y' }] },
  });

  posted.length = 0;
  send('a,b\n1,2\n3\n');
  await waitFor(() => {
    expect(posted.at(-1)).toEqual({
      type: 'error',
      failure: { code: 'ragged', row: 3, expected: 2, found: 1 },
    });
  });
});

/** 60 rows: x and y from a seeded sequence, then a label and an id that vary independently. */
const table = (label: (i: number) => string) =>
  [
    'x,label,y,id',
    ...Array.from(
      { length: 60 },
      (_, i) => `${Math.sin(i)},${label(i)},${Math.cos(i * 1.3) * 2},row-${i}`,
    ),
  ].join('\n');

const build = (text: string, options: BuildRkmeOptions = {}) =>
  buildRkmeFromText(text, { maxIter: 3, ...options }, () => undefined);

const smallLabels = table((i) => String(i % 3));
const largeLabels = table((i) => String(1000 * i));

test('the spec is built from the chosen columns only: its dimension, in file order', () => {
  const all = build(smallLabels);
  expect(all).toMatchObject({ columns: 3, used: [0, 1, 2], header: ['x', 'label', 'y'] });
  expect(all.stat.z.every((point) => point.length === 3)).toBe(true);

  const chosen = build(smallLabels, { columns: [2, 0] });
  expect(chosen).toMatchObject({ columns: 2, used: [0, 2], header: ['x', 'y'] });
  expect(chosen.stat.z.every((point) => point.length === 2)).toBe(true);
});

test('the values of a column left out do not change the spec', () => {
  const without = { columns: [0, 2] };
  expect(build(largeLabels, without).stat).toEqual(build(smallLabels, without).stat);
  // ...while with the column in, they do.
  expect(build(largeLabels).stat).not.toEqual(build(smallLabels).stat);
});

test('K sets the number of points (within the caps) and gamma is stored', () => {
  expect(build(smallLabels, { nPoints: 5 }).stat.z).toHaveLength(5);
  expect(build(smallLabels, { nPoints: 12 }).stat.z).toHaveLength(12);
  // At most two thirds of the 60 rows.
  expect(build(smallLabels, { nPoints: 100 }).stat.z).toHaveLength(40);
  expect(build(smallLabels, { gamma: 0.5 }).stat.gamma).toBe(0.5);
});

test('the columns are reported before a refused choice fails', () => {
  const tables: CsvProfile[] = [];
  let failure: unknown = null;
  try {
    buildRkmeFromText(
      table(String),
      { columns: [3] },
      () => undefined,
      (found) => tables.push(found),
    );
  } catch (error) {
    failure = toFailure(error);
  }
  expect(tables.map((found) => found.columns.map((column) => column.kind))).toEqual([
    ['numeric', 'numeric', 'numeric', 'text'],
  ]);
  expect(failure).toEqual({ code: 'notNumeric', column: 4, name: 'id', row: 2, value: 'row-0' });
});
