import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import {
  aMarketStats,
  aCheckStep,
  aMyLearnware,
  anAdminUser,
  anAuditEntry,
  anError,
  aPage,
  aPickleScan,
  aReviewItem,
  aVersion,
  aVersionDetail,
} from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signedInAs } from '@/testing/test-utils';

const queueHandlers = (reviews: unknown[]) => {
  let queue = [aReviewItem()];
  return [
    http.get('*/api/reviews/', () => HttpResponse.json(aPage(queue))),
    http.get('*/api/versions/11/', () =>
      HttpResponse.json(aVersionDetail({ status: 'awaiting_review' })),
    ),
    http.post('*/api/versions/11/review/', async ({ request }) => {
      reviews.push(await request.json());
      queue = [];
      return HttpResponse.json(aReviewItem({ status: 'approved' }));
    }),
  ];
};

test('a reviewer sees the check report and approves a version', async () => {
  signedInAs({ role: 'reviewer' });
  const reviews: unknown[] = [];
  server.use(...queueHandlers(reviews));
  const { user } = renderApp('/admin-console');

  const item = await screen.findByRole('article', { name: 'Iris classifier' });
  expect(await within(item).findByRole('listitem', { name: 'Model loads: passed' })).toBeVisible();
  // Reviewers do not manage users.
  expect(screen.queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();

  await user.click(within(item).getByRole('button', { name: 'Approve' }));
  expect(await screen.findByText('Nothing waits for review.')).toBeInTheDocument();
  expect(reviews).toEqual([{ decision: 'approve', reason: '' }]);
});

test('a reviewer sees the pickle scan findings, the dangerous global first and highlighted', async () => {
  signedInAs({ role: 'reviewer' });
  const scan = aPickleScan({
    files: [
      { file: 'model.pkl', format: 'pickle', error: '' },
      { file: 'weights.bin', format: 'pickle', error: 'not a valid pickle: truncated' },
    ],
    findings: [
      { file: 'model.pkl', module: 'posix', name: 'system', severity: 'dangerous' },
      ...aPickleScan().findings,
    ],
  });
  server.use(
    http.get('*/api/reviews/', () => HttpResponse.json(aPage([aReviewItem()]))),
    http.get('*/api/versions/11/', () =>
      HttpResponse.json(
        aVersionDetail({
          status: 'check_failed',
          check_steps: [
            aCheckStep({
              position: 1,
              name: 'pickle_scan',
              status: 'failed',
              message: 'model.pkl: dangerous global posix.system',
              details: { pickle_scan: scan },
            }),
          ],
        }),
      ),
    ),
  );
  renderApp('/admin-console');

  const item = await screen.findByRole('article', { name: 'Iris classifier' });
  const step = await within(item).findByRole('listitem', { name: 'Pickle scan: failed' });
  const table = within(step).getByRole('table', { name: 'Pickle scan findings' });
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map((row) => row.textContent)).toEqual([
    'model.pklposix.systemdangerous',
    'model.pklsklearn.linear_model._logistic.LogisticRegressionto review',
    'model.pklnumpy.ndarrayinnocuous',
  ]);
  expect(rows.map((row) => row.dataset.severity)).toEqual(['dangerous', 'suspicious', 'innocuous']);
  expect(rows[0]).toHaveAttribute('style', expect.stringContaining('--mantine-color-red-light'));
  expect(rows[1]).not.toHaveAttribute('style');
  expect(within(step).getByRole('alert')).toHaveTextContent(
    'weights.bin: not a valid pickle: truncated',
  );
  expect(
    within(step).getByText(/2 files scanned with picklescan 1\.0\.5: model\.pkl \(pickle\)/),
  ).toBeVisible();
});

test('rejecting without a reason is blocked; with one it is sent', async () => {
  signedInAs({ role: 'reviewer' });
  const reviews: unknown[] = [];
  server.use(...queueHandlers(reviews));
  const { user } = renderApp('/admin-console');

  const item = await screen.findByRole('article', { name: 'Iris classifier' });
  await user.click(within(item).getByRole('button', { name: 'Reject' }));
  expect(await within(item).findByText('Give a reason to reject.')).toBeInTheDocument();
  expect(reviews).toEqual([]);

  await user.type(within(item).getByRole('textbox', { name: /^Reason/ }), 'No licence file.');
  await user.click(within(item).getByRole('button', { name: 'Reject' }));
  expect(await screen.findByText('Nothing waits for review.')).toBeInTheDocument();
  expect(reviews).toEqual([{ decision: 'reject', reason: 'No licence file.' }]);
});

test('a plain user cannot open the console', async () => {
  signedInAs({ role: 'user' });
  renderApp('/admin-console');
  expect(await screen.findByRole('alert')).toHaveTextContent('reviewers and admins');
});

test('an admin searches users, changes a role and deactivates; errors show on the row', async () => {
  signedInAs({ id: 1, role: 'admin' });
  const calls: string[] = [];
  server.use(
    http.get('*/api/reviews/', () => HttpResponse.json(aPage([]))),
    http.get('*/api/users/', ({ request }) => {
      const q = new URL(request.url).searchParams.get('q') ?? '';
      calls.push(`list q=${q}`);
      return HttpResponse.json(aPage([anAdminUser()]));
    }),
    http.post('*/api/users/8/role/', async ({ request }) => {
      calls.push(`role ${JSON.stringify(await request.json())}`);
      return HttpResponse.json(anAdminUser({ role: 'reviewer' }));
    }),
    http.post('*/api/users/8/deactivate/', () =>
      HttpResponse.json(anError('The last admin cannot be deactivated.'), { status: 409 }),
    ),
  );
  const { user } = renderApp('/admin-console?tab=users');

  const table = await screen.findByRole('table', { name: 'Users' });
  expect(within(table).getByText('bob@example.edu')).toBeInTheDocument();
  await user.type(screen.getByRole('textbox', { name: 'Search' }), 'bob');
  await waitFor(() => {
    expect(calls).toContain('list q=bob');
  });
  const role = within(table).getByRole('combobox', { name: 'Role of bob@example.edu' });
  await user.click(role);
  // The dropdown this combobox controls (the role filter has one of its own).
  const listboxes = await screen.findAllByRole('listbox', { hidden: true });
  const listbox = listboxes.find((box) => box.id === role.getAttribute('aria-controls'));
  if (!listbox) throw new Error('the role dropdown did not open');
  await user.click(within(listbox).getByRole('option', { name: 'Reviewer', hidden: true }));
  await user.click(within(table).getByRole('button', { name: 'Deactivate' }));

  expect(await within(table).findByRole('alert')).toHaveTextContent(
    'The last admin cannot be deactivated.',
  );
  expect(calls).toContain('role {"role":"reviewer"}');
});

test('the dashboard shows the totals and each chart’s numbers, for the chosen period', async () => {
  signedInAs({ role: 'reviewer' });
  const periods: (string | null)[] = [];
  server.use(
    http.get('*/api/admin/stats/', ({ request }) => {
      const days = Number(new URL(request.url).searchParams.get('days'));
      periods.push(days.toString());
      return HttpResponse.json(
        aMarketStats(days, (i) => (i === days - 1 ? { searches: 77, downloads: 5 } : {})),
      );
    }),
  );
  const { user } = renderApp('/admin-console?tab=dashboard');

  expect(await screen.findByText('Listed learnwares')).toBeInTheDocument();
  expect(screen.getByText('1,200')).toBeInTheDocument(); // all-time searches
  const usage = screen.getByRole('figure', { name: 'Searches and downloads per day' });
  const rows = within(within(usage).getByRole('table')).getAllByRole('row');
  expect(rows).toHaveLength(31); // header + 30 days
  expect(
    within(rows[30]!)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(['2026-11-27', '77', '5']);
  const listed = screen.getByRole('figure', { name: 'Listed learnwares by data type' });
  expect(
    within(listed)
      .getAllByRole('columnheader')
      .map((c) => c.textContent),
  ).toEqual(['Date', 'Table', 'Image', 'Text']);
  const versions = screen.getByRole('table', { name: 'Versions by status now' });
  expect(within(versions).getByRole('row', { name: 'Check failed 3' })).toBeInTheDocument();

  await user.click(screen.getByText('7 days'));
  await waitFor(() => {
    const figure = screen.getByRole('figure', { name: 'Searches and downloads per day' });
    expect(within(figure).getAllByRole('row')).toHaveLength(8);
  });
  expect(periods).toEqual(['30', '7']);
});

test('reviewers manage all learnwares: filter by state, re-check, delete', async () => {
  signedInAs({ role: 'reviewer' });
  const calls: string[] = [];
  const failed = aMyLearnware({
    id: 2,
    name: 'Broken model',
    latest_version: { id: 21, number: 2, status: 'check_failed' },
  });
  server.use(
    http.get('*/api/admin/learnwares/', ({ request }) => {
      const params = new URL(request.url).searchParams;
      calls.push(`list state=${params.get('state') ?? ''} q=${params.get('q') ?? ''}`);
      return HttpResponse.json(
        aPage(params.get('state') === 'attention' ? [failed] : [failed, aMyLearnware()]),
      );
    }),
    http.post('*/api/versions/21/recheck/', () => {
      calls.push('recheck 21');
      return HttpResponse.json(aVersion({ id: 21, learnware_id: 2, status: 'queued' }));
    }),
    http.delete('*/api/learnwares/2/', () => {
      calls.push('delete 2');
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const { user } = renderApp('/admin-console?tab=learnwares');

  const table = await screen.findByRole('table', { name: 'All learnwares' });
  expect(within(table).getAllByRole('row')).toHaveLength(3);
  // Only a failed, rejected or waiting version can be checked again.
  expect(within(table).queryByRole('button', { name: 'Re-check Iris classifier' })).toBeNull();
  await user.click(screen.getByText('Needs attention'));
  await waitFor(() => {
    expect(within(table).getAllByRole('row')).toHaveLength(2);
  });
  await user.click(within(table).getByRole('button', { name: 'Re-check Broken model' }));
  await user.click(within(table).getByRole('button', { name: 'Delete Broken model' }));
  const dialog = await screen.findByRole('dialog');
  await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

  await waitFor(() => {
    expect(calls).toContain('delete 2');
  });
  expect(calls.slice(0, 3)).toEqual(['list state= q=', 'list state=attention q=', 'recheck 21']);
});

test('admins read the audit log and filter it by action', async () => {
  signedInAs({ role: 'admin' });
  const actions: string[] = [];
  server.use(
    http.get('*/api/admin/audit/', ({ request }) => {
      actions.push(new URL(request.url).searchParams.get('action') ?? '');
      return HttpResponse.json(
        aPage([
          anAuditEntry(),
          anAuditEntry({
            id: 2,
            actor: { id: 1, email: 'root@example.edu', display_name: 'Root' },
            action: 'user.role',
            target_type: 'user',
            target_id: 8,
            target_label: 'bob@example.edu',
            detail: { from: 'user', to: 'reviewer' },
          }),
        ]),
      );
    }),
  );
  const { user } = renderApp('/admin-console?tab=audit');

  const table = await screen.findByRole('table', { name: 'Audit log' });
  const [, rejected, role] = within(table).getAllByRole('row');
  expect(within(rejected!).getByRole('link', { name: 'Iris classifier' })).toHaveAttribute(
    'href',
    '/learnwares/1',
  );
  expect(rejected).toHaveTextContent('Rejected a version');
  expect(rejected).toHaveTextContent('v1 · “No licence file.”');
  expect(role).toHaveTextContent('User → Reviewer');

  await user.click(screen.getByRole('combobox', { name: 'Action' }));
  await user.click(await screen.findByRole('option', { name: 'Changed a role', hidden: true }));
  await waitFor(() => {
    expect(actions).toEqual(['', 'user.role']);
  });
});

test('reviewers see no users or audit tabs', async () => {
  signedInAs({ role: 'reviewer' });
  server.use(http.get('*/api/reviews/', () => HttpResponse.json(aPage([]))));
  renderApp('/admin-console');
  expect(await screen.findByRole('tab', { name: 'Dashboard' })).toBeInTheDocument();
  expect(screen.getByRole('tab', { name: 'Learnwares' })).toBeInTheDocument();
  expect(screen.queryByRole('tab', { name: 'Audit log' })).not.toBeInTheDocument();
  expect(screen.queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();
});
