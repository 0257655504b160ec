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

// Vendor chunks that outlive app-only deploys in the browser cache. A package's dependencies join
// its chunk. Unlisted packages (e.g. a chart library used by one page) stay in the lazy chunks of
// the pages that import them, so never list one here that only a lazy page needs.
const vendorChunks: Record<string, string[]> = {
  react: ['react', 'react-dom', 'react-router'],
  mantine: ['@mantine/core', '@mantine/hooks'],
  markdown: ['react-markdown'],
  vendor: ['@tanstack/react-query', 'i18next', 'react-i18next', 'openapi-fetch'],
};
const chunkByPackage = new Map(
  Object.entries(vendorChunks).flatMap(([chunk, packages]) => packages.map((pkg) => [pkg, chunk])),
);

function manualChunks(id: string): string | undefined {
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1];
  return pkg && chunkByPackage.get(pkg);
}

export default defineConfig({
  // Django serves dist/ at the site root (whitenoise) and returns index.html for other paths.
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  // Django replaces this placeholder in index.html with each response's CSP nonce
  // (bmw/views.py frontend_index); Mantine reads it from the csp-nonce meta tag.
  html: { cspNonce: 'BMW_CSP_NONCE' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { output: { manualChunks } },
  },
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
