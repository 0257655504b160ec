import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { expect, test, vi } from 'vitest';

import { theme } from '@/config/theme';
import '@/lib/i18n';
import { createQueryClient } from '@/lib/react-query';
import { aLearnware, anError } from '@/testing/data';
import { server } from '@/testing/mocks/server';

import { TryItPanel } from '../try-it-panel';

type Learnware = ReturnType<typeof aLearnware>;

/** The panel alone; `signedIn` undefined means the session is still being looked up. */
function renderPanel(
  learnware: Learnware,
  signedIn: boolean | undefined,
  members?: { ids: number[]; weights: number[] },
) {
  const router = createMemoryRouter([
    {
      path: '/',
      element: (
        <>
          <p>learnware page</p>
          <TryItPanel learnware={learnware} signedIn={signedIn} members={members} />
        </>
      ),
    },
    { path: '/login', element: <p>login page</p> },
  ]);
  const user = userEvent.setup();
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={createQueryClient({ retry: false })}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { user, router };
}

const fileInput = async () => {
  await screen.findByText('Your data');
  // Mantine's FileInput keeps the real <input type=file> hidden next to its button.
  // eslint-disable-next-line testing-library/no-node-access
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
};

const csv = () => new File(['a,b\n1,2\n3,4\n'], 'data.csv', { type: 'text/csv' });

test('runs the learnware on a CSV and shows the predictions with class probabilities', async () => {
  const append = vi.spyOn(FormData.prototype, 'append');
  let called = '';
  server.use(
    http.post('*/api/learnwares/1/predict/', ({ request }) => {
      called = request.headers.get('content-type') ?? '';
      return HttpResponse.json({
        learnware_ids: [1],
        reuser: null,
        n_rows: 25,
        predictions: Array.from({ length: 25 }, (_, i) => i % 3),
        probabilities: Array.from({ length: 25 }, () => [0.7, 0.2, 0.1]),
        timing: { start_s: 0.9, predict_s: 0.01, total_s: 1.234 },
      });
    }),
  );
  const { user } = renderPanel(aLearnware(), true);

  const run = await screen.findByRole('button', { name: 'Run' });
  expect(run).toBeDisabled();
  await user.upload(await fileInput(), csv());
  await user.click(run);

  const table = await screen.findByRole('table', { name: 'Predictions' });
  expect(screen.getByText('25 predictions in 1.23 s')).toBeInTheDocument();
  expect(within(table).getByText('The first 20 rows')).toBeInTheDocument();
  expect(within(table).getByRole('columnheader', { name: 'P(versicolor)' })).toBeInTheDocument();
  expect(within(table).getAllByRole('row')).toHaveLength(21); // header + 20 rows
  expect(within(table).getAllByText('0.7000')).toHaveLength(20);
  expect(called).toContain('multipart/form-data');
  const sent = append.mock.calls.find(([key]) => key === 'file')?.[1];
  expect(sent).toBeInstanceOf(File);
  expect((sent as File).name).toBe('data.csv');
});

test('shows a malformed input and a failing model as clear errors', async () => {
  let answer = 0;
  server.use(
    http.post('*/api/learnwares/1/predict/', () => {
      answer += 1;
      return answer === 1
        ? HttpResponse.json(
            anError('file: data.csv: line 2 has 2 columns; the learnware expects 6', {
              fields: { file: ['line 2 has 2 columns'] },
            }),
            { status: 400 },
          )
        : HttpResponse.json(
            anError('learnware 1: predict raised: ValueError: bad input', {
              detail: 'Traceback (most recent call last):\nValueError: bad input',
            }),
            { status: 422 },
          );
    }),
  );
  const { user } = renderPanel(aLearnware(), true);
  await user.upload(await fileInput(), csv());

  await user.click(screen.getByRole('button', { name: 'Run' }));
  const malformed = await screen.findByRole('alert');
  expect(malformed).toHaveTextContent('The input was not accepted');
  expect(malformed).toHaveTextContent('line 2 has 2 columns; the learnware expects 6');

  await user.click(screen.getByRole('button', { name: 'Run' }));
  expect(await screen.findByText('The learnware failed on this input')).toBeInTheDocument();
  expect(screen.getByLabelText('Details')).toHaveTextContent('Traceback');
  expect(screen.queryByRole('table')).not.toBeInTheDocument();
});

test("a busy or missing inference worker is the dock's fault, not the input's", async () => {
  server.use(
    http.post('*/api/learnwares/1/predict/', () =>
      HttpResponse.json(
        anError('Hosted inference is unavailable: no inference worker took the job', {
          detail: 'TimeoutError',
        }),
        { status: 503, headers: { 'Retry-After': '10' } },
      ),
    ),
  );
  const { user } = renderPanel(aLearnware(), true);
  await user.upload(await fileInput(), csv());

  await user.click(screen.getByRole('button', { name: 'Run' }));
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Hosted inference is busy or unavailable — try again shortly');
  expect(alert).not.toHaveTextContent('The input was not accepted');
});

test('asks visitors to sign in before running anything', async () => {
  const { user, router } = renderPanel(aLearnware(), false);
  await user.click(await screen.findByRole('link', { name: 'Sign in' }));
  expect(router.state.location.pathname).toBe('/login');
});

test('waits for the session before offering to run', async () => {
  renderPanel(aLearnware(), undefined);
  expect(await screen.findByLabelText('Loading')).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Run' })).not.toBeInTheDocument();
});

test('is absent for a learnware not approved yet', async () => {
  renderPanel(aLearnware({ live_version: null }), true);
  await screen.findByText('learnware page');
  expect(screen.queryByRole('region', { name: 'Try it' })).not.toBeInTheDocument();
});

test('a multiple result runs its learnwares through the chosen reuser with their weights', async () => {
  const append = vi.spyOn(FormData.prototype, 'append');
  server.use(
    http.post('*/api/predict/', () =>
      HttpResponse.json({
        learnware_ids: [3, 7],
        reuser: 'job_selector',
        n_rows: 2,
        predictions: [1, 0],
        probabilities: null,
        timing: { start_s: 1.5, predict_s: 0.02, total_s: 2.0 },
      }),
    ),
  );
  const { user } = renderPanel(aLearnware(), true, { ids: [3, 7], weights: [0.6, 0.4] });

  expect(await screen.findByRole('heading', { name: 'Try the combination' })).toBeInTheDocument();
  await user.click(screen.getByText('Job selector (route each row)'));
  await user.upload(await fileInput(), csv());
  await user.click(screen.getByRole('button', { name: 'Run' }));

  expect(await screen.findByText('2 predictions in 2.00 s')).toBeInTheDocument();
  const fields = append.mock.calls.map(([name, value]) => [
    name,
    value instanceof File ? value.name : value,
  ]);
  expect(fields).toEqual([
    ['file', 'data.csv'],
    ['learnware_ids', '3'],
    ['learnware_ids', '7'],
    ['weights', '0.6'],
    ['weights', '0.4'],
    ['reuser', 'job_selector'],
  ]);
});
