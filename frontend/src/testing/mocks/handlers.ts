import { http, HttpResponse } from 'msw';

import { aHealthReport, anApiRoot } from '../data';

// Defaults: a healthy dock. Tests override per case with server.use(...).
export const handlers = [
  http.get('*/healthz', () => HttpResponse.json(aHealthReport())),
  http.get('*/api/', () => HttpResponse.json(anApiRoot())),
];
