import createClient, { type Middleware } from 'openapi-fetch';

import type { paths } from './schema';

// The API is always same-origin: Django serves the built app, and the Vite dev server proxies
// /api and /healthz to Django. An absolute base (rather than '') also lets Node build Requests
// in tests, where relative URLs do not resolve.
export const apiBaseUrl = window.location.origin;

export const client = createClient<paths>({
  baseUrl: apiBaseUrl,
  // Look fetch up on every call: openapi-fetch would otherwise keep the fetch that existed at
  // import time, before MSW patches it in tests.
  fetch: (request) => globalThis.fetch(request),
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const readCookie = (name: string): string | undefined =>
  document.cookie
    .split('; ')
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);

let fetchedToken: string | undefined;

/**
 * The CSRF token Django expects in `X-CSRFToken` on unsafe requests made with the session
 * cookie. Django sets it in the `csrftoken` cookie (and rotates it at sign-in), so the cookie
 * wins; when there is none yet, `/api/auth/csrf/` sets it and also returns it in the body.
 */
export async function csrfToken(): Promise<string> {
  const fromCookie = readCookie('csrftoken');
  if (fromCookie) return decodeURIComponent(fromCookie);
  const { data } = await client.GET('/api/auth/csrf/');
  fetchedToken = readCookie('csrftoken') ?? data?.csrf_token ?? fetchedToken;
  return fetchedToken ?? '';
}

const csrfMiddleware: Middleware = {
  async onRequest({ request }) {
    if (SAFE_METHODS.has(request.method)) return undefined;
    request.headers.set('X-CSRFToken', await csrfToken());
    return request;
  },
};

client.use(csrfMiddleware);
