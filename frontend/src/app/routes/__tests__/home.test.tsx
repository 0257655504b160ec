import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { expect, test } from 'vitest';

import { aHealthCheck, aHealthReport } from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

const statusCard = async () => screen.findByRole('region', { name: 'Dock status' });

test('home page shows every check healthy and the API version', async () => {
  renderApp('/');

  const card = await statusCard();
  expect(await within(card).findByText('All systems healthy')).toBeInTheDocument();
  for (const name of ['Database', 'Broker', 'Worker']) {
    const check = within(card).getByRole('group', { name });
    expect(within(check).getByText('healthy')).toBeInTheDocument();
  }
  expect(within(card).getByText('PostgreSQL answered SELECT 1')).toBeInTheDocument();
  expect(await within(card).findByText('0.1.0')).toBeInTheDocument();
});

test('home page shows which check failed when /healthz answers 503', async () => {
  server.use(
    http.get('*/healthz', () =>
      HttpResponse.json(
        aHealthReport({
          worker: aHealthCheck({ ok: false, detail: 'No worker replied within 2 s' }),
        }),
        { status: 503 },
      ),
    ),
  );

  renderApp('/');

  const card = await statusCard();
  expect(await within(card).findByText('Degraded')).toBeInTheDocument();
  const worker = within(card).getByRole('group', { name: 'Worker' });
  expect(within(worker).getByText('unavailable')).toBeInTheDocument();
  expect(within(worker).getByText('No worker replied within 2 s')).toBeInTheDocument();
  const database = within(card).getByRole('group', { name: 'Database' });
  expect(within(database).getByText('healthy')).toBeInTheDocument();
});

test('home page says the dock is unreachable when /healthz fails without a report', async () => {
  server.use(http.get('*/healthz', () => new HttpResponse('Bad gateway', { status: 502 })));

  renderApp('/');

  const card = await statusCard();
  expect(await within(card).findByText('Could not reach the dock')).toBeInTheDocument();
  expect(within(card).getByText('Request failed with status 502')).toBeInTheDocument();
});
