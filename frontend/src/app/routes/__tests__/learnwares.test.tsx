import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import {
  aCheckStep,
  aLearnware,
  anError,
  aPage,
  aPickleScan,
  aVersion,
  aVersionDetail,
} from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signedInAs } from '@/testing/test-utils';

test('browse lists learnwares and filters by data type through the API', async () => {
  const queries: string[] = [];
  server.use(
    http.get('*/api/learnwares/', ({ request }) => {
      const url = new URL(request.url);
      queries.push(url.search);
      const table = url.searchParams.get('data_type') === 'Table';
      return HttpResponse.json(
        aPage(
          table
            ? [aLearnware()]
            : [aLearnware(), aLearnware({ id: 2, name: 'Sentiment', data_type: 'Text' })],
          table ? 1 : 30,
        ),
      );
    }),
  );
  const { user, router } = renderApp('/learnwares');

  const card = await screen.findByRole('article', { name: 'Iris classifier' });
  expect(within(card).getByText('Table')).toBeInTheDocument();
  expect(within(card).getByText('Owner: Ada')).toBeInTheDocument();
  expect(within(card).getByText('Version 1')).toBeInTheDocument();
  expect(within(card).getByText('3 downloads')).toBeInTheDocument();
  expect(within(card).getByRole('link', { name: 'Iris classifier' })).toHaveAttribute(
    'href',
    '/learnwares/1',
  );
  expect(screen.getByText('30 learnwares')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Page 3' })).toBeInTheDocument();

  await user.click(screen.getByRole('combobox', { name: 'Data type' }));
  await user.click(await screen.findByRole('option', { name: 'Table', hidden: true }));

  expect(await screen.findByText('1 learnware')).toBeInTheDocument();
  expect(screen.queryByRole('article', { name: 'Sentiment' })).not.toBeInTheDocument();
  expect(router.state.location.search).toBe('?data_type=Table');
  expect(queries.at(-1)).toContain('data_type=Table');
});

test('browse shows the API error when the list fails', async () => {
  server.use(
    http.get('*/api/learnwares/', () =>
      HttpResponse.json(anError('Database unavailable'), { status: 503 }),
    ),
  );
  renderApp('/learnwares');
  expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable');
});

const detailHandlers = (versions = [aVersion()]) => [
  http.get('*/api/learnwares/1/', () => HttpResponse.json(aLearnware())),
  http.get('*/api/learnwares/1/versions/', () => HttpResponse.json(versions)),
  http.get('*/api/versions/11/', () =>
    HttpResponse.json(
      aVersionDetail({
        check_steps: [
          aCheckStep(),
          aCheckStep({
            position: 3,
            name: 'pickle_scan',
            message: '1 pickle file (model.pkl): no dangerous globals, 1 to review',
            details: { pickle_scan: aPickleScan() },
          }),
          aCheckStep({
            position: 2,
            name: 'model_loads',
            status: 'passed',
            message: 'Model() built',
            log: 'imported __init__',
            duration_s: 2.5,
          }),
        ],
      }),
    ),
  ),
];

test('the detail page shows the spec, input/output, description, versions and check report', async () => {
  server.use(...detailHandlers());
  const { user } = renderApp('/learnwares/1');

  expect(await screen.findByRole('heading', { level: 1, name: 'Iris classifier' })).toBeVisible();
  // Markdown is rendered (bold), as text, not HTML.
  expect(await screen.findByText('random forest')).toHaveProperty('tagName', 'STRONG');
  const spec = screen.getByRole('table', { name: 'Semantic specification' });
  expect(within(spec).getByText('Scikit-learn')).toBeInTheDocument();
  const input = screen.getByRole('table', { name: 'Input' });
  expect(within(input).getByText('sepal width')).toBeInTheDocument();
  await user.click(screen.getByRole('tab', { name: 'Output' }));
  expect(
    within(screen.getByRole('table', { name: 'Output' })).getByText('virginica'),
  ).toBeVisible();

  const versions = await screen.findByRole('table', { name: 'Versions' });
  expect(within(versions).getByText('Approved')).toBeInTheDocument();
  expect(within(versions).getByRole('link', { name: 'Download version 1' })).toHaveAttribute(
    'href',
    '/api/versions/11/download/',
  );
  expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute(
    'href',
    '/api/learnwares/1/download/',
  );

  const step = await screen.findByRole('listitem', { name: 'Model loads: passed' });
  expect(within(step).getByText('2.5 s')).toBeInTheDocument();
  expect(within(step).getByText('Model() built')).toBeInTheDocument();
  expect(within(step).getByText('Log')).toBeInTheDocument();
  const pickles = screen.getByRole('listitem', { name: 'Pickle scan: passed' });
  const findings = within(pickles).getByRole('table', { name: 'Pickle scan findings' });
  expect(
    within(findings).getByText('sklearn.linear_model._logistic.LogisticRegression'),
  ).toBeVisible();
  expect(within(findings).getByText('to review')).toBeVisible();
  expect(within(pickles).queryByRole('alert')).not.toBeInTheDocument();

  expect(screen.getByText(/bmw download 1/)).toBeInTheDocument();
  // A visitor gets no owner actions.
  expect(screen.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
});

test('the owner edits cosmetic fields, and deletes after confirming', async () => {
  signedInAs({ id: 7 });
  let patched: unknown = null;
  let deleted = false;
  server.use(
    ...detailHandlers(),
    http.patch('*/api/learnwares/1/', async ({ request }) => {
      patched = await request.json();
      return HttpResponse.json(aLearnware({ name: 'Iris forest' }));
    }),
    http.delete('*/api/learnwares/1/', () => {
      deleted = true;
      return new HttpResponse(null, { status: 204 });
    }),
    http.get('*/api/learnwares/mine/', () => HttpResponse.json(aPage([]))),
  );
  const { user, router } = renderApp('/learnwares/1');

  await user.click(await screen.findByRole('button', { name: 'Edit' }));
  const dialog = await screen.findByRole('dialog', { name: 'Edit learnware' });
  const name = within(dialog).getByRole('textbox', { name: /^Name/ });
  await user.clear(name);
  await user.type(name, 'Iris forest');
  await user.click(within(dialog).getByRole('button', { name: 'Save' }));
  await screen.findByRole('button', { name: 'Edit' });
  expect(patched).toMatchObject({
    semantic_spec: {
      Name: { Type: 'String', Values: 'Iris forest' },
      Data: { Type: 'Class', Values: ['Table'] },
    },
  });

  await user.click(screen.getByRole('button', { name: 'Delete' }));
  const confirm = await screen.findByRole('dialog', { name: 'Delete this learnware?' });
  await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
  expect(await screen.findByRole('heading', { name: 'My learnwares' })).toBeInTheDocument();
  expect(deleted).toBe(true);
  expect(router.state.location.pathname).toBe('/me/learnwares');
});

test('the owner re-checks a failed version', async () => {
  signedInAs({ id: 7 });
  let rechecked = false;
  server.use(
    ...detailHandlers([aVersion({ status: 'check_failed', failure_reason: 'model failed' })]),
    http.post('*/api/versions/11/recheck/', () => {
      rechecked = true;
      return HttpResponse.json(aVersion({ status: 'queued' }), { status: 202 });
    }),
  );
  const { user } = renderApp('/learnwares/1');
  await user.click(await screen.findByRole('button', { name: 'Check again' }));
  await screen.findByRole('table', { name: 'Versions' });
  expect(rechecked).toBe(true);
});

test('an unknown learnware shows the 404 message', async () => {
  server.use(
    http.get('*/api/learnwares/99/', () =>
      HttpResponse.json(anError('learnware 99 not found'), { status: 404 }),
    ),
    http.get('*/api/learnwares/99/versions/', () =>
      HttpResponse.json(anError('learnware 99 not found'), { status: 404 }),
    ),
  );
  renderApp('/learnwares/99');
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Learnware not found');
  expect(alert).toHaveTextContent('learnware 99 not found');
});
