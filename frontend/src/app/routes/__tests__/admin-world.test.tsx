import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import { anError, aPage, aWorldProjection, aWorldVersion } from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signedInAs } from '@/testing/test-utils';

const retired = aWorldVersion({
  id: 1,
  version: 'old0000000001',
  state: 'retired',
  activated_at: '2026-11-20T10:00:00Z',
});
const active = aWorldVersion({ id: 2, version: 'a1b2c3d4e5f6', state: 'active' });
const failed = aWorldVersion({
  id: 3,
  version: null,
  state: 'failed',
  error: 'no table learnware has column descriptions',
  metrics: {},
  activated_at: null,
});

/** Versions and projections as given; records every request as text. */
const worldHandlers = (calls: string[], versions: unknown[]) => [
  http.get('*/api/admin/world/versions/', () => HttpResponse.json(aPage(versions))),
  http.get('*/api/admin/world/projection/', ({ request }) => {
    const version = new URL(request.url).searchParams.get('version') ?? '';
    calls.push(`projection ${version}`);
    return HttpResponse.json(aWorldProjection({ engine_version: version }));
  }),
];

test('admins see the engine versions with their states and the map of the active one', async () => {
  signedInAs({ role: 'admin' });
  const calls: string[] = [];
  server.use(...worldHandlers(calls, [failed, active, retired]));
  renderApp('/admin-console?tab=world');

  const table = await screen.findByRole('table', { name: 'Engine versions' });
  const [, failedRow, activeRow, retiredRow] = within(table).getAllByRole('row');
  expect(failedRow).toHaveTextContent('Failed');
  expect(failedRow).toHaveTextContent('no table learnware has column descriptions');
  expect(within(failedRow!).queryByRole('button')).toBeNull();
  expect(activeRow).toHaveTextContent('a1b2c3d4e5f6');
  expect(activeRow).toHaveTextContent('Active');
  expect(activeRow).toHaveTextContent('View match top-1: 87.5 %');
  expect(activeRow).toHaveTextContent('Loss: 4.100 → 1.250');
  expect(activeRow).toHaveTextContent('Trained in 42 s');
  expect(within(activeRow!).queryByRole('button')).toBeNull();
  expect(retiredRow).toHaveTextContent('Retired');
  expect(
    within(retiredRow!).getByRole('button', { name: 'Roll back to old0000000001' }),
  ).toBeInTheDocument();

  // One legend entry per island, with its label and count.
  const legend = await screen.findByRole('list', { name: 'Islands' });
  expect(
    within(legend)
      .getAllByRole('listitem')
      .map((item) => item.textContent),
  ).toEqual([
    '4 columns: sepal length, sepal width, …: 2 learnwares',
    '8 columns: age, income, …: 1 learnware',
  ]);
  const figure = screen.getByRole('figure', { name: 'Learnwares in the specification world' });
  const points = within(figure).getByRole('table');
  expect(within(points).getAllByRole('columnheader')[2]).toHaveTextContent(
    'Component 1 (62.0 % of the variance)',
  );
  expect(within(points).getByRole('row', { name: /Credit scorer 8 columns/ })).toBeInTheDocument();
  expect(calls).toEqual(['projection a1b2c3d4e5f6']);
});

test('the version picker shows the map of another version', async () => {
  signedInAs({ role: 'admin' });
  const calls: string[] = [];
  server.use(...worldHandlers(calls, [active, retired]));
  const { user } = renderApp('/admin-console?tab=world');

  await screen.findByRole('list', { name: 'Islands' });
  await user.click(screen.getByRole('combobox', { name: 'Engine version' }));
  await user.click(await screen.findByRole('option', { name: 'old0000000001', hidden: true }));
  await waitFor(() => {
    expect(calls).toEqual(['projection a1b2c3d4e5f6', 'projection old0000000001']);
  });
});

test('training posts and shows the server’s message when one already runs', async () => {
  signedInAs({ role: 'admin' });
  const calls: string[] = [];
  server.use(
    ...worldHandlers(calls, [active]),
    http.post('*/api/admin/world/versions/', () => {
      calls.push('train');
      return HttpResponse.json(anError('A training is already running (version #4)'), {
        status: 409,
      });
    }),
  );
  const { user } = renderApp('/admin-console?tab=world');

  await user.click(await screen.findByRole('button', { name: 'Train a new engine' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'A training is already running (version #4)',
  );
  expect(calls).toContain('train');
});

test('a running training shows its progress and is followed until it is done', async () => {
  signedInAs({ role: 'admin' });
  let polls = 0;
  const training = aWorldVersion({
    id: 4,
    version: null,
    state: 'training',
    metrics: {},
    progress: { phase: 'training', done: 3, total: 20 },
    activated_at: null,
  });
  const trained = aWorldVersion({ id: 4, version: 'new000000004', state: 'active' });
  server.use(
    // Before the defaults: the first matching handler answers.
    http.get('*/api/admin/world/versions/', () => {
      polls += 1;
      return HttpResponse.json(aPage(polls === 1 ? [training, active] : [trained, retired]));
    }),
    ...worldHandlers([], []),
  );
  renderApp('/admin-console?tab=world');

  const table = await screen.findByRole('table', { name: 'Engine versions' });
  expect(within(table).getByText('Epoch 3 of 20')).toBeInTheDocument();
  expect(within(table).getByRole('progressbar', { name: 'Progress of #4' })).toBeInTheDocument();
  expect(
    await within(table).findByText('new000000004', undefined, { timeout: 6000 }),
  ).toBeInTheDocument();
  expect(within(table).queryByRole('progressbar')).toBeNull();
});

test('rolling back asks first, then posts to the version’s activate URL', async () => {
  signedInAs({ role: 'admin' });
  const calls: string[] = [];
  let versions = [active, retired];
  server.use(
    http.get('*/api/admin/world/versions/', () => HttpResponse.json(aPage(versions))),
    ...worldHandlers(calls, []),
    http.post('*/api/admin/world/versions/:version/activate/', ({ params }) => {
      calls.push(`activate ${String(params.version)}`);
      versions = [
        { ...active, state: 'retired' },
        { ...retired, state: 'active' },
      ];
      return HttpResponse.json({ ...retired, state: 'active', activation_task_id: null });
    }),
  );
  const { user } = renderApp('/admin-console?tab=world');

  const table = await screen.findByRole('table', { name: 'Engine versions' });
  await user.click(within(table).getByRole('button', { name: 'Roll back to old0000000001' }));
  const dialog = await screen.findByRole('dialog', { name: 'Activate engine old0000000001?' });
  expect(calls).not.toContain('activate old0000000001');
  await user.click(within(dialog).getByRole('button', { name: 'Roll back to this version' }));

  expect(await screen.findByText('Version old0000000001 is active now.')).toBeInTheDocument();
  expect(calls).toContain('activate old0000000001');
  // The list and the map follow: the old version is active, the other can be rolled back to.
  expect(
    await within(table).findByRole('button', { name: 'Roll back to a1b2c3d4e5f6' }),
  ).toBeInTheDocument();
  await waitFor(() => {
    expect(calls.at(-1)).toBe('projection old0000000001');
  });
});

test('activation errors from the server show in the dialog', async () => {
  signedInAs({ role: 'admin' });
  const ready = aWorldVersion({ id: 5, version: 'rdy000000005', state: 'ready' });
  server.use(
    ...worldHandlers([], [ready, active]),
    http.post('*/api/admin/world/versions/rdy000000005/activate/', () =>
      HttpResponse.json(anError('version rdy000000005 is training'), { status: 409 }),
    ),
  );
  const { user } = renderApp('/admin-console?tab=world');

  const table = await screen.findByRole('table', { name: 'Engine versions' });
  await user.click(within(table).getByRole('button', { name: 'Activate rdy000000005' }));
  const dialog = await screen.findByRole('dialog');
  await user.click(within(dialog).getByRole('button', { name: 'Activate' }));
  expect(await within(dialog).findByRole('alert')).toHaveTextContent(
    'version rdy000000005 is training',
  );
});

test('with no active engine the map says to train one', async () => {
  signedInAs({ role: 'admin' });
  server.use(
    http.get('*/api/admin/world/versions/', () => HttpResponse.json(aPage([failed]))),
    http.get('*/api/admin/world/projection/', () =>
      HttpResponse.json(anError('No engine version is active; train one first'), {
        status: 404,
      }),
    ),
  );
  renderApp('/admin-console?tab=world');

  expect(await screen.findByText('No engine yet — train one')).toBeInTheDocument();
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByRole('table', { name: 'Engine versions' })).toBeInTheDocument();
});

test('reviewers have no specification world tab', async () => {
  signedInAs({ role: 'reviewer' });
  server.use(http.get('*/api/reviews/', () => HttpResponse.json(aPage([]))));
  renderApp('/admin-console?tab=world');
  expect(await screen.findByRole('tab', { name: 'Review queue' })).toBeInTheDocument();
  expect(screen.queryByRole('tab', { name: 'Specification world' })).not.toBeInTheDocument();
});
