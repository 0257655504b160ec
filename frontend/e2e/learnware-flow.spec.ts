import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Page } from '@playwright/test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

import { expect, test } from './fixtures';

// The shared fixtures: BMW_SHARED_DIR, else the `shared` folder beside the repository.
const sharedDir =
  process.env.BMW_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));
const zipPath = `${sharedDir}/fixtures/official/learnware/official_format.zip`;
const semanticPath = `${sharedDir}/fixtures/official/semantic/table_classification.json`;
// An RKME of 6-feature table data, like the official learnware's input.
const statPath = `${sharedDir}/fixtures/official/rkme_table/stat_0.json`;

type Entry = { Values: string[] | string };
type Io = { Dimension: number; Description: Record<string, string> };
type Spec = Record<
  'Data' | 'Task' | 'Library' | 'License' | 'Scenario' | 'Name' | 'Description',
  Entry
> & {
  Input: Io;
  Output: Io;
};

const first = (entry: Entry) =>
  Array.isArray(entry.Values) ? (entry.Values[0] ?? '') : entry.Values;

const adminEmail = process.env.BMW_ADMIN_EMAIL ?? 'admin@example.com';
const adminPassword = process.env.BMW_ADMIN_PASSWORD ?? 'e2e-admin-password';

async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible();
}

/** Fill the submit wizard's four steps and upload `zip`; snapshots each step. */
async function submitThroughWizard(
  page: Page,
  snap: (name: string) => Promise<void>,
  spec: Spec,
  name: string,
  zip: string | { name: string; mimeType: string; buffer: Buffer },
) {
  await page.goto('/submit');
  await page.getByLabel('Name').fill(name);
  await pick(page, 'Data type', first(spec.Data));
  await pick(page, 'Task type', first(spec.Task));
  await pick(page, 'Library', first(spec.Library));
  await pick(page, 'License', first(spec.License));
  await page.getByRole('combobox', { name: 'Scenario' }).click({ force: true });
  await page.getByRole('option', { name: first(spec.Scenario), exact: true }).click();
  await page.keyboard.press('Escape');
  await snap('wizard-tags');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Number of input columns').fill(String(spec.Input.Dimension));
  for (const [index, text] of Object.entries(spec.Input.Description)) {
    await page.getByLabel(`Column ${index}`, { exact: true }).fill(text);
  }
  await page.getByLabel('Number of classes').fill(String(spec.Output.Dimension));
  for (const [index, text] of Object.entries(spec.Output.Description)) {
    await page.getByLabel(`Class ${index}`, { exact: true }).fill(text);
  }
  await snap('wizard-io');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Description (Markdown)').fill(first(spec.Description));
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText(
    first(spec.Description),
  );
  await snap('wizard-description');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.locator('input[type="file"]').setInputFiles(zip);
  await expect(page.getByText('The package looks right')).toBeVisible();
  await snap('wizard-package');
  await page.getByRole('button', { name: 'Upload and check' }).click();
}

test('register, submit through the wizard, watch the checks, approve, browse, download and search', async ({
  page,
  snap,
}) => {
  test.skip(!existsSync(zipPath), `no shared fixtures at ${sharedDir} (set BMW_SHARED_DIR)`);
  test.setTimeout(300_000);
  const spec = JSON.parse(readFileSync(semanticPath, 'utf8')) as Spec;
  const name = `${first(spec.Name)} ${Date.now().toString(36)}`;

  // 1. A visitor registers. (Confirming the address needs the e-mail, which the dock only logs,
  //    so the rest runs as the seeded admin, whose address is confirmed.)
  await page.goto('/register');
  await page.getByLabel('Display name').fill('E2E tester');
  await page
    .getByRole('textbox', { name: 'E-mail' })
    .fill(`e2e-${Date.now().toString(36)}@example.edu`);
  await page.getByLabel(/^Password/).fill('a long e2e passphrase');
  await page.getByLabel('Repeat the password').fill('a long e2e passphrase');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText('Check your inbox')).toBeVisible();
  await snap('registered');

  // 2. The admin submits the official-format learnware through the wizard.
  await signIn(page, adminEmail, adminPassword);
  await submitThroughWizard(page, snap, spec, name, zipPath);

  // 3. The check steps run live until they all pass.
  const report = page.getByRole('region', { name: 'Check report' });
  await expect(report.getByRole('listitem').first()).toBeVisible({ timeout: 60_000 });
  await snap('checks-running');
  await expect(page.getByRole('heading', { name: 'Checks finished' })).toBeVisible({
    timeout: 240_000,
  });
  await snap('checks-finished');
  const failed = report.getByRole('listitem', { name: /: failed$/ });
  expect(await failed.allInnerTexts(), 'no check step should fail').toEqual([]);
  await expect(page.getByText('All checks passed')).toBeVisible();

  // 4. The admin approves it in the review console.
  await page.goto('/admin-console');
  const item = page.getByRole('article', { name });
  await expect(item).toBeVisible();
  await snap('review-queue');
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toHaveCount(0);

  // 5. Signed out, a visitor finds it, opens it and downloads it.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/learnwares');
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Input and output' })).toContainText(
    spec.Input.Description['0'] ?? '',
  );
  await expect(page.getByText('Approved').first()).toBeVisible();
  await snap('learnware-detail');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download', exact: true }).click();
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);

  // 6. The visitor searches with a stat.json of their own and finds it.
  await page.goto('/search');
  await pick(page, 'Data type', first(spec.Data));
  await page.locator('input[type="file"]').setInputFiles(statPath);
  await expect(page.getByText(/RKMETableSpecification, 6 features, K=\d+/)).toBeVisible();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hit = page.getByRole('article', { name });
  await expect(hit).toBeVisible({ timeout: 60_000 });
  // A table RKME is ranked on its specification island: each result has a confidence.
  await expect(hit.getByRole('progressbar', { name: `Confidence for ${name}` })).toBeVisible();
  await snap('search-results');

  // 6b. Or tries the example that uses the learnware's own RKME: it ranks first.
  await page.goto('/search');
  await page
    .getByRole('group', { name: 'Examples to try:' })
    .getByRole('button', { name: `Data like “${name}” (${first(spec.Data)})` })
    .click();
  await expect(page.getByText(/RKMETableSpecification, 6 features, K=\d+/)).toBeVisible();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('article').first()).toHaveAccessibleName(name, { timeout: 60_000 });

  // 7. Or builds the RKME in the browser from a CSV (here: the points of that stat.json as
  //    rows, under a header) and finds it again.
  const stat = JSON.parse(readFileSync(statPath, 'utf8')) as { z: number[][] };
  const csv = [
    stat.z[0]?.map((_, index) => `x${index}`).join(',') ?? '',
    ...stat.z.map((row) => row.join(',')),
  ].join('\n');
  await page.goto('/search');
  await pick(page, 'Data type', first(spec.Data));
  await page.getByText('Build from a CSV').click();
  await expect(page.getByText(/the file never leaves this page/)).toBeVisible();
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: 'my-data.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(
    page.getByText(
      `RKMETableSpecification, 6 features, K=20 — Built in your browser from ${stat.z.length} rows.`,
    ),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download stat.json' })).toHaveAttribute(
    'download',
    'stat.json',
  );
  // With no description typed, the CSV header is sent as the columns' descriptions.
  await expect(
    page.getByText(/Left empty, your CSV header is sent as the descriptions: x0, x1, x2/),
  ).toBeVisible();
  await snap('search-csv-built');
  const searched = page.waitForResponse(
    (response) => response.url().includes('/api/learnwares/search/') && response.ok(),
  );
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await searched;
  await expect(hit).toBeVisible({ timeout: 60_000 });
  await expect(hit.getByRole('progressbar', { name: `Confidence for ${name}` })).toBeVisible();
  await snap('search-csv-results');

  // 8. The admin console's dashboard counts the listing, the download and the searches, and
  //    the audit log names the approval.
  await signIn(page, adminEmail, adminPassword);
  await page.goto('/admin-console?tab=dashboard');
  const figure = async (label: string) =>
    Number((await page.getByRole('group', { name: label }).innerText()).replace(/\D/g, ''));
  await expect(page.getByRole('group', { name: 'Listed learnwares' })).toBeVisible();
  expect(await figure('Listed learnwares')).toBeGreaterThanOrEqual(1);
  expect(await figure('Downloads')).toBeGreaterThanOrEqual(1);
  expect(await figure('Searches')).toBeGreaterThanOrEqual(2);
  await expect(
    page.getByRole('figure', { name: 'Listed learnwares by data type' }).locator('svg').first(),
  ).toBeVisible();
  await snap('admin-dashboard');
  await page.getByRole('tab', { name: 'Audit log' }).click();
  const approval = page
    .getByRole('table', { name: 'Audit log' })
    .getByRole('row')
    .filter({ hasText: 'Approved a version' })
    .filter({ has: page.getByRole('link', { name }) });
  await expect(approval).toHaveCount(1);
  await snap('audit-log');
});

test('a package whose model fails to predict is rejected by the checks, which show the failing step', async ({
  page,
  snap,
}) => {
  test.skip(!existsSync(zipPath), `no shared fixtures at ${sharedDir} (set BMW_SHARED_DIR)`);
  test.setTimeout(300_000);
  const spec = JSON.parse(readFileSync(semanticPath, 'utf8')) as Spec;
  const name = `Broken ${Date.now().toString(36)}`;
  // The official package with a predict() that raises: the files, YAML and spec are right, so
  // the browser accepts it; only running the model in the sandbox finds the fault.
  const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
  const source = strFromU8(files['__init__.py'] ?? new Uint8Array());
  files['__init__.py'] = strToU8(
    source.replace(
      /def predict\(self, X\):\n(\s+)return .*\n/,
      'def predict(self, X):\n$1raise RuntimeError("broken on purpose")\n',
    ),
  );
  expect(strFromU8(files['__init__.py'])).toContain('broken on purpose');
  const broken = {
    name: 'broken.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(zipSync(files)),
  };

  await signIn(page, adminEmail, adminPassword);
  await submitThroughWizard(page, snap, spec, name, broken);

  const report = page.getByRole('region', { name: 'Check report' });
  await expect(page.getByRole('heading', { name: 'Checks finished' })).toBeVisible({
    timeout: 240_000,
  });
  const failed = report.getByRole('listitem', { name: 'Model predicts: failed' });
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('broken on purpose');
  await expect(report.getByRole('listitem', { name: 'Model loads: passed' })).toBeVisible();
  await snap('checks-failed');

  // The owner finds it under "Needs attention"; it is not listed.
  await page.goto('/me/learnwares');
  await page.getByRole('tab', { name: 'Needs attention' }).click();
  await expect(page.getByRole('article', { name })).toBeVisible();
  await page.goto('/learnwares');
  await expect(page.getByRole('link', { name })).toHaveCount(0);
});
