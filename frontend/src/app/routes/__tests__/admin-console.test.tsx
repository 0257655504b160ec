import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import { anAdminUser, anError, aPage, aReviewItem, aVersionDetail } from '@/testing/data';
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
  expect(await within(item).findByRole('listitem', { name: 'model loads: passed' })).toBeVisible();
  // Reviewers do not manage users.
  expect(screen.queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();

  await user.click(within(item).getByRole('button', { name: 'Approve' }));
  expect(await screen.findByText('Nothing waits for review.')).toBeInTheDocument();
  expect(reviews).toEqual([{ decision: 'approve', reason: '' }]);
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
