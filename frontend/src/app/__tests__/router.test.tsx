import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';

import { renderApp } from '@/testing/test-utils';

test('an unknown path shows the 404 page inside the app shell', async () => {
  renderApp('/no/such/page');

  expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  expect(screen.getByText('/no/such/page')).toBeInTheDocument();
  expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
});

test('the nav links route between pages and Docs points at the API docs', async () => {
  const { user, router } = renderApp('/');
  const nav = screen.getByRole('navigation', { name: 'Main' });

  await user.click(within(nav).getByRole('link', { name: 'Browse' }));

  expect(await screen.findByRole('heading', { name: 'Browse learnwares' })).toBeInTheDocument();
  expect(router.state.location.pathname).toBe('/learnwares');
  expect(within(nav).getByRole('link', { name: 'Browse' })).toHaveAttribute('aria-current', 'page');
  expect(within(nav).getByRole('link', { name: 'Docs' })).toHaveAttribute('href', '/api/docs/');
});
