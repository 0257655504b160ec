import { expect, test } from './fixtures';

// axe on the main pages, as a visitor and as the seeded admin, in both colour schemes.
// Runs after learnware-flow.spec.ts (files run in name order, one worker), so the market
// holds a learnware whose detail page is checked too.

const adminEmail = process.env.BMW_ADMIN_EMAIL ?? 'admin@example.com';
const adminPassword = process.env.BMW_ADMIN_PASSWORD ?? 'e2e-admin-password';

const publicPages: [string, string][] = [
  ['/', 'Beimingwu learnware dock'],
  ['/learnwares', 'Browse learnwares'],
  ['/search', 'Search'],
  ['/login', 'Sign in'],
  ['/register', 'Create an account'],
];

const staffPages: [string, string][] = [
  ['/submit', 'Submit a learnware'],
  ['/me/learnwares', 'My learnwares'],
  ['/me/notifications', 'Notifications'],
  ['/me/account', 'Account'],
  ['/admin-console?tab=dashboard', 'Admin console'],
  ['/admin-console', 'Admin console'],
  ['/admin-console?tab=learnwares', 'Admin console'],
  ['/admin-console?tab=users', 'Admin console'],
  ['/admin-console?tab=audit', 'Admin console'],
  ['/admin-console?tab=world', 'Admin console'],
];

for (const scheme of ['light', 'dark'] as const) {
  test(`main pages have no serious accessibility violations (${scheme})`, async ({ page, axe }) => {
    test.setTimeout(240_000); // axe takes a few seconds per page, 15 pages
    await page.emulateMedia({ colorScheme: scheme }); // the app follows the system's
    for (const [path, heading] of publicPages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.getByLabel('Loading', { exact: true })).toHaveCount(0);
      await axe(`${scheme} ${path} (${heading})`);
    }

    await page.goto('/login');
    await page.getByRole('textbox', { name: 'E-mail' }).fill(adminEmail);
    await page.getByRole('textbox', { name: 'Password' }).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible();
    for (const [path, heading] of staffPages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.getByLabel('Loading', { exact: true })).toHaveCount(0);
      await axe(`${scheme} ${path} (${heading})`);
    }

    await page.goto('/learnwares');
    const card = page.getByRole('article').first().getByRole('link').first();
    await expect(card, 'learnware-flow.spec.ts publishes a learnware first').toBeVisible();
    await card.click();
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await axe(`${scheme} learnware detail`);
  });
}
