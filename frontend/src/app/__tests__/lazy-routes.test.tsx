import { screen, within } from '@testing-library/react';
import { expect, test, vi } from 'vitest';

import { renderApp, signedInAs } from '@/testing/test-utils';

// The account page's chunk fails to load, as when a redeploy removed it.
vi.mock('@/app/routes/account', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

test('a lazy page shows a loader inside the shell until its chunk arrives', async () => {
  renderApp('/learnwares');

  expect(screen.getByRole('progressbar', { name: 'Loading' })).toBeInTheDocument();
  expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  expect(await screen.findByRole('heading', { name: 'Browse learnwares' })).toBeInTheDocument();
  expect(screen.queryByRole('progressbar', { name: 'Loading' })).not.toBeInTheDocument();
});

test('a page whose chunk fails to load offers a reload inside the shell', async () => {
  signedInAs();
  renderApp('/me/account');

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('This page could not be shown');
  expect(within(alert).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
  expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
});
