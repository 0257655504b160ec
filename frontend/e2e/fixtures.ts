import { fileURLToPath } from 'node:url';

import AxeBuilder from '@axe-core/playwright';
import { test as base, expect } from '@playwright/test';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

type Fixtures = {
  /** Save a full-page screenshot to test-results/screenshots/<test>-<nn>-<name>.png. */
  snap: (name: string) => Promise<void>;
  /** Run axe (WCAG 2.1 A/AA) on the page; fail on serious or critical violations. */
  axe: (name: string) => Promise<void>;
};

// The app asks /api/users/me/ who is signed in; for a visitor the API answers 401, which
// Chromium logs as "Failed to load resource". That one answer is expected, not an error.
const isSessionProbe = (text: string, url: string) =>
  text.includes('status of 401') && new URL(url, 'http://x').pathname === '/api/users/me/';

export const test = base.extend<Fixtures>({
  // Fail the test on any console error or uncaught exception in the browser.
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (isSessionProbe(message.text(), message.location().url)) return;
      problems.push(
        `console error on ${page.url()}: ${message.text()} (${message.location().url})`,
      );
    });
    page.on('pageerror', (error) => {
      problems.push(`uncaught exception on ${page.url()}: ${error.message}`);
    });
    // Content-Security-Policy violations (Chromium also logs most as console errors).
    await page.exposeFunction('__reportCspViolation', (report: string) => {
      problems.push(`CSP violation on ${page.url()}: ${report}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`;
        (window as unknown as { __reportCspViolation: (r: string) => void }).__reportCspViolation(
          report,
        );
      });
    });

    await use(page);

    expect(problems, 'the browser console should have no errors').toEqual([]);
  },

  axe: async ({ page }, use, testInfo) => {
    await use(async (name) => {
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      await testInfo.attach(`axe-${slug(name)}.json`, {
        body: JSON.stringify(results.violations, null, 2),
        contentType: 'application/json',
      });
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => {
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(' '));
          return `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s): ${where.join(' | ')}`;
        });
      expect.soft(serious, `axe: serious violations on ${name}`).toEqual([]);
    });
  },

  snap: async ({ page }, use, testInfo) => {
    let count = 0;
    await use(async (name) => {
      count += 1;
      const file = `${slug(testInfo.title)}-${String(count).padStart(2, '0')}-${slug(name)}.png`;
      await page.screenshot({ path: SCREENSHOTS + file, fullPage: true });
    });
  },
});

export { expect };
