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

  /** Per-field problems from `extra.fields` (validation errors), if any. */
  get fields(): Record<string, string[]> {
    if (!isErrorOutput(this.body)) return {};
    const fields = this.body.extra.fields;
    if (typeof fields !== 'object' || fields === null) return {};
    return Object.fromEntries(
      Object.entries(fields as Record<string, unknown>).map(([key, value]) => [
        key,
        problemTexts(value),
      ]),
    );
  }
}

/** A field's problems as text: nested details (`{"Description": ["..."]}`) say their path. */
function problemTexts(value: unknown, path = ''): string[] {
  const at = (text: string) => (path ? `${path}: ${text}` : text);
  if (Array.isArray(value)) return value.flatMap((item) => problemTexts(item, path));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      problemTexts(item, path ? `${path}.${key}` : key),
    );
  }
  return [at(String(value))];
}

type ClientResult<T> = { data?: T; error?: unknown; response: Response };

/** Await an openapi-fetch call; return its data, or throw `ApiError` for a non-2xx answer. */
export async function unwrap<T>(call: Promise<ClientResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, error);
  // A 204 has no body: `data` is undefined and T is `never`/`undefined` for such operations.
  return data as T;
}

/** A message for any thrown value, for alerts. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
