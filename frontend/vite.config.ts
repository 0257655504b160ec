/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Django (runserver or gunicorn) serves the API; the dev server forwards these prefixes to it.
// BMW_BACKEND_URL lets `vite preview` point at a stand-in backend.
const backend = process.env.BMW_BACKEND_URL ?? 'http://127.0.0.1:8000';
const proxy = Object.fromEntries(
  ['/api', '/healthz', '/admin', '/static'].map((prefix) => [prefix, { target: backend }]),
);

export default defineConfig({
  // Django serves dist/ at the site root (whitenoise) and returns index.html for other paths.
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // Page tests render whole Mantine pages in jsdom: ~1-3 s each on an idle 2-core machine,
    // several times that on a loaded machine.
    testTimeout: 20_000,
  },
});
