import { useCallback, useEffect, useRef, useState } from 'react';

import { readText } from '../utils/stat-spec';
import {
  buildRkmeFromText,
  type BuildRkmeFailure,
  type BuildRkmeMessage,
  type BuildRkmeOptions,
  type BuildRkmeProgress,
  type BuildRkmeRequest,
  type BuildRkmeResult,
  delimiterFor,
  progressFraction,
  toFailure,
} from './build-rkme';
import type { CsvProfile } from './rkme-table';

export type BuildRkmeHandlers = {
  onProgress: (progress: BuildRkmeProgress) => void;
  /** The file's columns, once read (before the fit; also when the build then fails). */
  onTable?: (table: CsvProfile) => void;
  onDone: (result: BuildRkmeResult) => void;
  onError: (failure: BuildRkmeFailure) => void;
};

/**
 * Build the RKME of a CSV file in a Web Worker, so the page stays responsive; where there is no
 * `Worker` (jsdom, very old engines) the same code runs on the main thread. Either way the
 * file is only read locally. Returns a function that stops the build (no handler runs after).
 */
export function startRkmeBuild(
  file: File,
  handlers: BuildRkmeHandlers,
  options: BuildRkmeOptions = {},
): () => void {
  let active = true;
  const guard =
    <T>(handler: (value: T) => void) =>
    (value: T) => {
      if (active) handler(value);
    };
  const onProgress = guard(handlers.onProgress);
  const onTable = guard(handlers.onTable ?? (() => undefined));
  const onDone = guard(handlers.onDone);
  const onError = guard(handlers.onError);

  if (typeof Worker === 'undefined') {
    onProgress({ phase: 'reading' });
    readText(file)
      .then((text) => {
        if (!active) return;
        const delimiter = options.delimiter ?? delimiterFor(file.name);
        onDone(
          buildRkmeFromText(
            text,
            delimiter ? { ...options, delimiter } : options,
            onProgress,
            onTable,
          ),
        );
      })
      .catch((error: unknown) => {
        onError(toFailure(error));
      });
    return () => {
      active = false;
    };
  }

  const worker = new Worker(new URL('./rkme.worker.ts', import.meta.url), { type: 'module' });
  const stop = () => {
    active = false;
    worker.terminate();
  };
  worker.onmessage = (event: MessageEvent<BuildRkmeMessage>) => {
    const message = event.data;
    if (message.type === 'progress') {
      onProgress(message.progress);
    } else if (message.type === 'table') {
      onTable(message.table);
    } else if (message.type === 'done') {
      onDone(message.result);
      stop();
    } else {
      onError(message.failure);
      stop();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    onError({ code: 'unexpected', message: event.message ? event.message : 'the worker failed' });
    stop();
  };
  const request: BuildRkmeRequest = { file, options };
  worker.postMessage(request);
  return stop;
}

export type BuildRkmeState =
  | { status: 'idle' }
  | { status: 'running'; progress: BuildRkmeProgress; fraction: number }
  | { status: 'done'; result: BuildRkmeResult }
  | { status: 'error'; failure: BuildRkmeFailure };

/**
 * The state of building an RKME from a CSV: `build(file, options)` starts (and stops any
 * previous build), `stop()` stops and goes idle, `reset()` also forgets the file's columns.
 * `table` (the file's columns) is kept while the same file is rebuilt with other options. A
 * build in progress stops when the component unmounts.
 */
export function useBuildRkme() {
  const [state, setState] = useState<BuildRkmeState>({ status: 'idle' });
  const [table, setTable] = useState<CsvProfile | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const fileRef = useRef<File | null>(null);

  const stop = useCallback(() => {
    stopRef.current?.();
    stopRef.current = null;
    setState({ status: 'idle' });
  }, []);

  const reset = useCallback(() => {
    stop();
    fileRef.current = null;
    setTable(null);
  }, [stop]);

  const build = useCallback((file: File, options: BuildRkmeOptions = {}) => {
    stopRef.current?.();
    if (fileRef.current !== file) {
      fileRef.current = file;
      setTable(null);
    }
    const running = (progress: BuildRkmeProgress) => {
      setState({ status: 'running', progress, fraction: progressFraction(progress) });
    };
    running({ phase: 'reading' });
    stopRef.current = startRkmeBuild(
      file,
      {
        onProgress: running,
        onTable: setTable,
        onDone: (result) => {
          stopRef.current = null;
          setState({ status: 'done', result });
        },
        onError: (failure) => {
          stopRef.current = null;
          setState({ status: 'error', failure });
        },
      },
      options,
    );
  }, []);

  useEffect(
    () => () => {
      stopRef.current?.();
    },
    [],
  );

  return { state, table, build, stop, reset };
}
