/**
 * Web Worker: reads a CSV file, builds its table RKME and posts progress, then the stat.json
 * or the failure. The file is only read here, in the browser; nothing is sent anywhere.
 */
import {
  buildRkmeFromText,
  type BuildRkmeMessage,
  type BuildRkmeRequest,
  delimiterFor,
  toFailure,
} from './build-rkme';

// The worker's global scope (the project's TypeScript lib is DOM, not WebWorker).
type WorkerScope = {
  onmessage: ((event: MessageEvent<BuildRkmeRequest>) => void) | null;
  postMessage: (message: BuildRkmeMessage) => void;
};
const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { file, options = {} } = event.data;
  const post = (message: BuildRkmeMessage) => {
    scope.postMessage(message);
  };
  post({ type: 'progress', progress: { phase: 'reading' } });
  file
    .text()
    .then((text) => {
      const name = file instanceof File ? file.name : undefined;
      const delimiter = options.delimiter ?? delimiterFor(name);
      const result = buildRkmeFromText(
        text,
        delimiter ? { ...options, delimiter } : options,
        (progress) => {
          post({ type: 'progress', progress });
        },
        (table) => {
          post({ type: 'table', table });
        },
      );
      post({ type: 'done', result });
    })
    .catch((error: unknown) => {
      post({ type: 'error', failure: toFailure(error) });
    });
};
