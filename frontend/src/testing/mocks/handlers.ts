import { http, HttpResponse } from 'msw';

import { aHealthReport, anApiRoot, anError, aPage, aSemanticVocabulary } from '../data';

// Defaults: a healthy dock and an anonymous visitor with an empty market. Tests override per
// case with server.use(...), or sign in with `signedInAs` (test-utils).
export const handlers = [
  http.get('*/healthz', () => HttpResponse.json(aHealthReport())),
  http.get('*/api/', () => HttpResponse.json(anApiRoot())),
  http.get('*/api/auth/csrf/', () => HttpResponse.json({ csrf_token: 'test-csrf-token' })),
  http.get('*/api/users/me/', () =>
    HttpResponse.json(anError('Authentication credentials were not provided.'), { status: 401 }),
  ),
  http.get('*/api/notifications/', () => HttpResponse.json(aPage([]))),
  http.get('*/api/learnwares/', () => HttpResponse.json(aPage([]))),
  http.get('*/api/search/examples/', () => HttpResponse.json([])),
  http.get('*/api/semantic-vocabulary/', () => HttpResponse.json(aSemanticVocabulary())),
];
