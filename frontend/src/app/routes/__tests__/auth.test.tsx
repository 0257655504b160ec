import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import { anError, aUser } from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

test('signing in sends the CSRF token, then returns to the page asked for', async () => {
  let sent: { body: unknown; csrf: string | null } | null = null;
  let signedIn = false;
  server.use(
    http.get('*/api/users/me/', () =>
      signedIn
        ? HttpResponse.json(aUser())
        : HttpResponse.json(anError('not signed in'), { status: 401 }),
    ),
    http.post('*/api/auth/login/', async ({ request }) => {
      sent = { body: await request.json(), csrf: request.headers.get('X-CSRFToken') };
      signedIn = true;
      return HttpResponse.json(aUser());
    }),
    http.get('*/api/learnwares/mine/', () =>
      HttpResponse.json({ count: 0, next: null, previous: null, results: [] }),
    ),
  );
  const { user, router } = renderApp('/me/learnwares');

  // A protected page sends a visitor to the sign-in page first.
  expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  await user.type(screen.getByRole('textbox', { name: 'E-mail' }), 'ada@example.edu');
  await user.type(screen.getByLabelText(/^Password/), 'a long passphrase');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));

  expect(await screen.findByRole('heading', { name: 'My learnwares' })).toBeInTheDocument();
  expect(router.state.location.pathname).toBe('/me/learnwares');
  expect(sent).toEqual({
    body: { email: 'ada@example.edu', password: 'a long passphrase' },
    csrf: 'test-csrf-token',
  });
  expect(screen.getByRole('button', { name: 'Account menu' })).toHaveTextContent('Ada');
});

test('a wrong password shows the message from the API', async () => {
  server.use(
    http.post('*/api/auth/login/', () =>
      HttpResponse.json(anError('Incorrect e-mail address or password.'), { status: 400 }),
    ),
  );
  const { user } = renderApp('/login');

  await user.type(await screen.findByRole('textbox', { name: 'E-mail' }), 'ada@example.edu');
  await user.type(screen.getByLabelText(/^Password/), 'wrong');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));

  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Incorrect e-mail address or password.',
  );
});

test('registering shows the check-your-inbox message; a taken e-mail shows on its field', async () => {
  let calls = 0;
  server.use(
    http.post('*/api/auth/register/', () => {
      calls += 1;
      if (calls === 1) {
        return HttpResponse.json(
          anError('Invalid input', {
            fields: { email: ['A user with this e-mail already exists.'] },
          }),
          { status: 400 },
        );
      }
      return HttpResponse.json(aUser({ email: 'new@example.edu', email_verified: false }), {
        status: 201,
      });
    }),
  );
  const { user } = renderApp('/register');

  await user.type(await screen.findByRole('textbox', { name: 'E-mail' }), 'new@example.edu');
  await user.type(screen.getByLabelText(/^Password/), 'short');
  await user.type(screen.getByLabelText(/^Repeat the password/), 'short');
  await user.click(screen.getByRole('button', { name: 'Register' }));
  expect(await screen.findByText('At least 8 characters.')).toBeInTheDocument();
  expect(calls).toBe(0);

  await user.clear(screen.getByLabelText(/^Password/));
  await user.type(screen.getByLabelText(/^Password/), 'a long passphrase');
  await user.clear(screen.getByLabelText(/^Repeat the password/));
  await user.type(screen.getByLabelText(/^Repeat the password/), 'a long passphrase');
  await user.click(screen.getByRole('button', { name: 'Register' }));
  expect(await screen.findByText('A user with this e-mail already exists.')).toBeInTheDocument();

  await user.click(screen.getByRole('button', { name: 'Register' }));
  expect(await screen.findByText('Check your inbox')).toBeInTheDocument();
  expect(screen.getByText(/new@example\.edu/)).toBeInTheDocument();
});

test('the verification link confirms the address once', async () => {
  const tokens: unknown[] = [];
  server.use(
    http.post('*/api/auth/email-verification/confirm/', async ({ request }) => {
      tokens.push(await request.json());
      return new HttpResponse(null, { status: 204 });
    }),
  );
  renderApp('/verify-email?token=abc123');

  expect(await screen.findByText('Address confirmed')).toBeInTheDocument();
  expect(tokens).toEqual([{ token: 'abc123' }]);
});

test('a used verification link shows why it failed', async () => {
  server.use(
    http.post('*/api/auth/email-verification/confirm/', () =>
      HttpResponse.json(anError('This link has already been used.', { reason: 'used' }), {
        status: 400,
      }),
    ),
  );
  renderApp('/verify-email?token=used');

  expect(await screen.findByRole('alert')).toHaveTextContent('This link has already been used.');
});

test('forgot password sends the link; the reset page sets the new password', async () => {
  const bodies: unknown[] = [];
  server.use(
    http.post('*/api/auth/password-reset/', async ({ request }) => {
      bodies.push(await request.json());
      return new HttpResponse(null, { status: 202 });
    }),
    http.post('*/api/auth/password-reset/confirm/', async ({ request }) => {
      bodies.push(await request.json());
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const view = renderApp('/forgot-password');
  await view.user.type(await screen.findByRole('textbox', { name: 'E-mail' }), 'ada@example.edu');
  await view.user.click(screen.getByRole('button', { name: 'Send the link' }));
  expect(await screen.findByText('Check your inbox')).toBeInTheDocument();
  view.unmount();

  const { user } = renderApp('/reset-password?token=tok');
  await user.type(await screen.findByLabelText(/^New password/), 'a new passphrase');
  await user.type(screen.getByLabelText(/^Repeat the password/), 'a new passphrase');
  await user.click(screen.getByRole('button', { name: 'Set the password' }));
  expect(await screen.findByText('Your password is changed.')).toBeInTheDocument();
  expect(bodies).toEqual([
    { email: 'ada@example.edu' },
    { token: 'tok', new_password: 'a new passphrase', revoke_api_tokens: true },
  ]);
});

test('the reset page can keep the API tokens', async () => {
  let body: unknown = null;
  server.use(
    http.post('*/api/auth/password-reset/confirm/', async ({ request }) => {
      body = await request.json();
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const { user } = renderApp('/reset-password?token=tok');
  await user.type(await screen.findByLabelText(/^New password/), 'a new passphrase');
  await user.type(screen.getByLabelText(/^Repeat the password/), 'a new passphrase');
  await user.click(screen.getByRole('checkbox', { name: /Also revoke my API tokens/ }));
  await user.click(screen.getByRole('button', { name: 'Set the password' }));
  expect(await screen.findByText('Your password is changed.')).toBeInTheDocument();
  expect(body).toEqual({
    token: 'tok',
    new_password: 'a new passphrase',
    revoke_api_tokens: false,
  });
});

test('an expired reset link shows the API message', async () => {
  server.use(
    http.post('*/api/auth/password-reset/confirm/', () =>
      HttpResponse.json(anError('This link has expired; ask for a new one.'), { status: 400 }),
    ),
  );
  const { user } = renderApp('/reset-password?token=old');
  await user.type(await screen.findByLabelText(/^New password/), 'a new passphrase');
  await user.type(screen.getByLabelText(/^Repeat the password/), 'a new passphrase');
  await user.click(screen.getByRole('button', { name: 'Set the password' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('expired');
});

test('signing out ends the session and shows the sign-in link again', async () => {
  let signedIn = true;
  server.use(
    http.get('*/api/users/me/', () =>
      signedIn
        ? HttpResponse.json(aUser())
        : HttpResponse.json(anError('not signed in'), { status: 401 }),
    ),
    http.post('*/api/auth/logout/', () => {
      signedIn = false;
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const { user, router } = renderApp('/learnwares');
  // Wait for the lazy page and its list: in jsdom a header menu opened while the page is
  // still settling is hidden when it re-renders (seen on a loaded machine).
  await screen.findByRole('heading', { name: 'Browse learnwares' });
  await screen.findByText('No learnwares match.', undefined, { timeout: 10_000 });

  await user.click(await screen.findByRole('button', { name: 'Account menu' }));
  await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }, { timeout: 5_000 }));

  expect(await screen.findByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  await waitFor(() => {
    expect(router.state.location.pathname).toBe('/');
  });
  expect(signedIn).toBe(false);
});

test('the language switch turns the interface into Chinese', async () => {
  const { user } = renderApp('/learnwares');
  // Wait for the lazy page: in jsdom a header menu opened while it loads is hidden once it lands.
  await screen.findByRole('heading', { name: 'Browse learnwares' });
  await user.click(await screen.findByRole('button', { name: 'Language' }));
  await user.click(await screen.findByRole('menuitem', { name: '中文' }));

  expect(await screen.findByRole('heading', { name: '浏览学件' })).toBeInTheDocument();
  expect(document.documentElement.lang).toBe('zh-CN');
  expect(localStorage.getItem('bmw-language')).toBe('zh');
});
