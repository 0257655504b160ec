import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import { aMyLearnware, anError, aNotification, aPage } from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signedInAs } from '@/testing/test-utils';

test('my learnwares asks the server for each status tab and shows the newest version', async () => {
  signedInAs();
  const states: (string | null)[] = [];
  const live = aMyLearnware();
  const broken = aMyLearnware({
    id: 2,
    name: 'Broken model',
    live_version: null,
    latest_version: { id: 21, number: 1, status: 'check_failed' },
  });
  server.use(
    http.get('*/api/learnwares/mine/', ({ request }) => {
      const state = new URL(request.url).searchParams.get('state');
      states.push(state);
      const results = { live: [live], attention: [broken], in_progress: [] };
      return HttpResponse.json(
        aPage(state ? results[state as keyof typeof results] : [broken, live]),
      );
    }),
  );
  const { user } = renderApp('/me/learnwares');

  const card = await screen.findByRole('article', { name: 'Broken model' });
  expect(within(card).getByText('Check failed')).toBeInTheDocument();

  await user.click(screen.getByRole('tab', { name: 'Needs attention' }));
  await waitFor(() => {
    expect(screen.queryByRole('article', { name: 'Iris classifier' })).not.toBeInTheDocument();
  });
  expect(screen.getByRole('article', { name: 'Broken model' })).toBeInTheDocument();

  await user.click(screen.getByRole('tab', { name: 'Live' }));
  expect(await screen.findByRole('article', { name: 'Iris classifier' })).toBeInTheDocument();
  expect(screen.queryByRole('article', { name: 'Broken model' })).not.toBeInTheDocument();

  await user.click(screen.getByRole('tab', { name: 'In progress' }));
  expect(await screen.findByText('None here.')).toBeInTheDocument();
  expect(states).toEqual([null, 'attention', 'live', 'in_progress']);
});

test('my learnwares shows the API error', async () => {
  signedInAs();
  server.use(
    http.get('*/api/learnwares/mine/', () =>
      HttpResponse.json(anError('Service busy'), { status: 429 }),
    ),
  );
  renderApp('/me/learnwares');
  expect(await screen.findByRole('alert')).toHaveTextContent('Service busy');
});

test('notifications show the unread count in the header and can be marked read', async () => {
  signedInAs();
  let read = false;
  server.use(
    http.get('*/api/notifications/', () =>
      HttpResponse.json(
        aPage([
          aNotification({ read_at: read ? '2026-11-27T12:00:00Z' : null }),
          aNotification({ id: 2, title: 'Welcome', read_at: '2026-11-27T09:00:00Z' }),
        ]),
      ),
    ),
    http.post('*/api/notifications/1/read/', () => {
      read = true;
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const { user } = renderApp('/me/notifications');

  expect(await screen.findByRole('link', { name: 'Notifications: 1 unread' })).toBeInTheDocument();
  const item = await screen.findByRole('listitem', { name: 'Iris classifier is approved' });
  expect(within(item).getByRole('link', { name: 'Open the learnware' })).toHaveAttribute(
    'href',
    '/learnwares/1',
  );
  await user.click(within(item).getByRole('button', { name: 'Mark as read' }));

  expect(await screen.findByRole('link', { name: 'Notifications' })).toBeInTheDocument();
  expect(within(item).queryByRole('button', { name: 'Mark as read' })).not.toBeInTheDocument();
});

test('a failed mark-as-read shows the API message', async () => {
  signedInAs();
  server.use(
    http.get('*/api/notifications/', () => HttpResponse.json(aPage([aNotification()]))),
    http.post('*/api/notifications/1/read/', () =>
      HttpResponse.json(anError('notification 1 not found'), { status: 404 }),
    ),
  );
  const { user } = renderApp('/me/notifications');
  await user.click(await screen.findByRole('button', { name: 'Mark as read' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('notification 1 not found');
});

test('account: edit the profile, change the password, create a token shown once, revoke it', async () => {
  signedInAs({ email_verified: false });
  const calls: string[] = [];
  let tokens: unknown[] = [];
  server.use(
    http.patch('*/api/users/me/', async ({ request }) => {
      calls.push(`profile ${JSON.stringify(await request.json())}`);
      return HttpResponse.json({
        id: 7,
        email: 'ada@example.edu',
        display_name: 'Ada L.',
        role: 'user',
        email_verified: false,
        date_joined: '2026-11-27T10:00:00Z',
      });
    }),
    http.post('*/api/users/me/password/', () =>
      HttpResponse.json(anError('The current password is wrong.'), { status: 400 }),
    ),
    http.get('*/api/api-tokens/', () => HttpResponse.json(aPage(tokens))),
    http.post('*/api/api-tokens/', async ({ request }) => {
      const { name } = (await request.json()) as { name: string };
      const token = {
        id: 3,
        name,
        prefix: '3f9c0a1b',
        created_at: '2026-11-27T10:00:00Z',
        expires_at: null,
        last_used_at: null,
        is_expired: false,
      };
      tokens = [token];
      return HttpResponse.json({ ...token, token: 'bmw_3f9c0a1b_secret' }, { status: 201 });
    }),
    http.delete('*/api/api-tokens/3/', () => {
      tokens = [];
      calls.push('revoke 3');
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const { user } = renderApp('/me/account');

  expect(await screen.findByText('Your e-mail address is not confirmed yet')).toBeInTheDocument();
  const name = screen.getByRole('textbox', { name: 'Display name' });
  await user.clear(name);
  await user.type(name, 'Ada L.');
  await user.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Saved.')).toBeInTheDocument();
  expect(calls).toContain('profile {"display_name":"Ada L."}');

  const password = screen.getByRole('region', { name: 'Password' });
  await user.type(within(password).getByLabelText(/^Current password/), 'old passphrase');
  await user.type(within(password).getByLabelText(/^New password/), 'new passphrase');
  await user.type(within(password).getByLabelText(/^Repeat the password/), 'new passphrase');
  await user.click(within(password).getByRole('button', { name: 'Change password' }));
  expect(await within(password).findByRole('alert')).toHaveTextContent(
    'The current password is wrong.',
  );

  const panel = screen.getByRole('region', { name: 'API tokens' });
  expect(await within(panel).findByText('You have no API tokens.')).toBeInTheDocument();
  await user.type(within(panel).getByRole('textbox', { name: 'Name' }), 'laptop CLI');
  await user.click(within(panel).getByRole('button', { name: 'Create token' }));
  expect(await within(panel).findByText('bmw_3f9c0a1b_secret')).toBeInTheDocument();
  expect(within(panel).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
  const table = await within(panel).findByRole('table', { name: 'API tokens' });
  expect(within(table).getByText('laptop CLI')).toBeInTheDocument();
  await user.click(within(panel).getByRole('button', { name: 'I have stored it' }));
  expect(within(panel).queryByText('bmw_3f9c0a1b_secret')).not.toBeInTheDocument();

  await user.click(within(table).getByRole('button', { name: 'Revoke' }));
  const dialog = await screen.findByRole('dialog', { name: 'Revoke “laptop CLI”?' });
  await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
  expect(await within(panel).findByText('You have no API tokens.')).toBeInTheDocument();
  expect(calls).toContain('revoke 3');
}, 15_000);
