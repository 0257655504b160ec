import { waitFor } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';

import type { BuildRkmeMessage, BuildRkmeProgress, BuildRkmeResult } from '../build-rkme';
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
  expect(posted.slice(0, -1).every((message) => message.type === 'progress')).toBe(true);

  posted.length = 0;
  send('a,b\n1,2\n3\n');
  await waitFor(() => {
    expect(posted.at(-1)).toEqual({
      type: 'error',
      failure: { code: 'ragged', row: 3, expected: 2, found: 1 },
    });
  });
});
