import type { components } from './schema';

type ErrorOutput = components['schemas']['ErrorOutput'];

const isErrorOutput = (body: unknown): body is ErrorOutput =>
  typeof body === 'object' && body !== null && typeof (body as ErrorOutput).message === 'string';

/** A non-2xx response. `body` is the parsed JSON (an `ErrorOutput` for 4xx) or the raw text. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(isErrorOutput(body) ? body.message : `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}
