import { expect, test } from './fixtures';

test('home shows a healthy dock, Browse opens from the nav, and the API docs load', async ({
  page,
  snap,
}) => {
  await page.goto('/');

  const status = page.getByRole('region', { name: 'Dock status' });
  for (const check of ['Database', 'Broker', 'Worker']) {
    await expect(
      status.getByRole('group', { name: check }).getByText('healthy', { exact: true }),
    ).toBeVisible();
  }
  await expect(status.getByText('All systems healthy')).toBeVisible();
  await expect(status.getByText(/^API version: \S+/)).toBeVisible();
  await expect(status.getByText('API version: unavailable')).toHaveCount(0);
  await snap('home');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Browse' }).click();
  await expect(page).toHaveURL(/\/learnwares$/);
  await expect(page.getByRole('heading', { name: 'Browse learnwares' })).toBeVisible();
  await snap('browse');

  await nav.getByRole('link', { name: 'Docs' }).click();
  await expect(page).toHaveURL(/\/api\/docs\/$/);
  // Swagger UI renders the schema's title once it has fetched and parsed the schema.
  // Parsing the ~300 kB schema takes seconds on a busy machine.
  await expect(page.locator('.swagger-ui .info .title')).toBeVisible({ timeout: 30_000 });
  expect(await page.title()).not.toBe('');
  await snap('api-docs');
});

test('deep links are served by the app, and unknown paths show its 404 page', async ({
  page,
  snap,
}) => {
  // Django must answer index.html for any non-API path, so a reload keeps working.
  await page.goto('/learnwares');
  await expect(page.getByRole('heading', { name: 'Browse learnwares' })).toBeVisible();
  await snap('browse');

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await snap('not-found');
});

test('the app, the API docs and the admin are served with a strict CSP', async ({ page }) => {
  for (const path of ['/', '/api/docs/', '/admin/login/']) {
    const response = await page.goto(path);
    const header = response?.headers()['content-security-policy'] ?? '';
    const policy = new Map<string, string>(
      header.split(';').map((part): [string, string] => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(policy.get('script-src'), path).toBe("'self'");
    // Inline <style> only with this response's nonce (the admin has nothing to nonce).
    expect(policy.get('style-src'), path).toMatch(
      path === '/admin/login/' ? /^'self'$/ : /^'self' 'nonce-[A-Za-z0-9+/=]+'$/,
    );
    expect(policy.get('frame-ancestors'), path).toBe("'none'");
    expect(policy.get('object-src'), path).toBe("'none'");
    expect(header, path).not.toMatch(/unsafe-inline|unsafe-eval/);
  }
  // The admin's login form renders (its styles and scripts load under the policy).
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
});
