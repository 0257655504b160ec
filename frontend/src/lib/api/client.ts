import createClient from 'openapi-fetch';

import type { paths } from './schema';

export const client = createClient<paths>({
  // The API is always same-origin: Django serves the built app, and the Vite dev server proxies
  // /api and /healthz to Django. An absolute base (rather than '') also lets Node build Requests
  // in tests, where relative URLs do not resolve.
  baseUrl: window.location.origin,
  // Look fetch up on every call: openapi-fetch would otherwise keep the fetch that existed at
  // import time, before MSW patches it in tests.
  fetch: (request) => globalThis.fetch(request),
});
