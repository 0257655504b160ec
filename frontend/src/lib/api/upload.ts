import { apiBaseUrl, csrfToken } from './client';
import { ApiError } from './errors';
import type { paths } from './schema';

// The one API call that does not go through openapi-fetch: fetch() cannot report upload
// progress, so multipart uploads use XMLHttpRequest, whose `upload.onprogress` can. The paths
// and the response types still come from the generated schema, so `tsc` checks them.

type MultipartPost = {
  [P in keyof paths]: paths[P] extends {
    post: { requestBody?: { content: { 'multipart/form-data': unknown } } };
  }
    ? P
    : never;
}[keyof paths];

type Created<P extends MultipartPost> = paths[P]['post'] extends {
  responses: { 201: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type UploadProgress = { loaded: number; total: number };

export type UploadOptions = {
  /** Fills the path's `{name}` parameters. */
  params?: Record<string, string | number>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

export async function uploadMultipart<P extends MultipartPost>(
  path: P,
  body: FormData,
  { params = {}, onProgress, signal }: UploadOptions = {},
): Promise<Created<P>> {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(params[name])),
  );
  const token = await csrfToken();

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiBaseUrl + url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-CSRFToken', token);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      let parsed: unknown = xhr.responseText;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (e.g. a proxy's HTML error page): keep the text
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as Created<P>);
      else reject(new ApiError(xhr.status, parsed));
    };
    xhr.onerror = () => {
      reject(new ApiError(0, 'network error'));
    };
    xhr.onabort = () => {
      reject(new DOMException('Upload aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', () => {
      xhr.abort();
    });
    xhr.send(body);
  });
}
