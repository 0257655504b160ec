import { defineConfig } from '@playwright/test';

// Smoke tests against a running dock (Django serving the built app and the API).
// Playwright's own browser download does not work here, so this uses Debian's Chromium.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/playwright',
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BMW_BASE_URL ?? 'http://127.0.0.1:8000',
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.BMW_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    actionTimeout: 15_000,
    trace: 'retain-on-failure',
  },
});
