import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { expect, test, vi } from 'vitest';

import { theme } from '@/config/theme';
import { createQueryClient } from '@/lib/react-query';
import { aLearnware, anError } from '@/testing/data';
import { server } from '@/testing/mocks/server';

import { chooseReuser, pythonMultipleSnippet } from '../../utils/deploy-snippets';
import { DeploySnippet, MultipleDeploy } from '../deploy-snippet';

const origin = window.location.origin;

const renderWithProviders = (ui: React.ReactNode) => {
  const user = userEvent.setup();
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={createQueryClient({ retry: false })}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
  return { user };
};

const iris = aLearnware({ id: 12, name: 'Iris classifier' });
const wine = aLearnware({ id: 7, name: 'Wine classifier' });

test('one learnware: a bundle link and copyable client, CLI and bundle snippets', async () => {
  const { user } = renderWithProviders(<DeploySnippet learnware={iris} />);

  expect(screen.getByRole('link', { name: 'Download bundle' })).toHaveAttribute(
    'href',
    '/api/learnwares/12/bundle/',
  );
  const python = screen.getByLabelText('Python', { selector: 'pre' });
  expect(python).toHaveTextContent(`client = Client("${origin}")`);
  expect(python.textContent).toContain('[learnware] = client.load([12])');
  expect(python.textContent).toContain('y = learnware.predict(X)');

  await user.click(screen.getByRole('tab', { name: 'Command line' }));
  expect(screen.getByLabelText('Command line', { selector: 'pre' }).textContent).toContain(
    'bmw deploy 12 --predict input.csv -o predictions.csv',
  );
  await user.click(screen.getByRole('tab', { name: 'Bundle' }));
  expect(screen.getByLabelText('Bundle', { selector: 'pre' }).textContent).toBe(
    'pip install -r requirements.txt\npython run.py input.csv',
  );

  const writeText = vi.fn(() => Promise.resolve());
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  await user.click(screen.getByRole('button', { name: 'Copy the Bundle code' }));
  expect(writeText).toHaveBeenCalledWith(
    'pip install -r requirements.txt\npython run.py input.csv',
  );
  expect(await screen.findByRole('button', { name: 'Copy the Bundle code' })).toHaveTextContent(
    'Copied',
  );
});

test('a learnware the visitor may not download gets snippets but no bundle link', () => {
  renderWithProviders(<DeploySnippet learnware={iris} downloadable={false} />);

  expect(screen.queryByRole('link', { name: 'Download bundle' })).not.toBeInTheDocument();
  expect(screen.getByLabelText('Python', { selector: 'pre' })).toBeInTheDocument();
});

test('a multiple result downloads a bundle of its ids and weights and shows its reuser', async () => {
  let body: unknown = null;
  server.use(
    http.post('*/api/bundles/', async ({ request }) => {
      body = await request.json();
      return new HttpResponse(new Uint8Array([80, 75, 5, 6]), {
        headers: {
          'Content-Type': 'application/zip',
          'Content-Disposition': 'attachment; filename="learnware-bundle-12-7.zip"',
        },
      });
    }),
  );
  const createObjectURL = vi.fn((blob: Blob) => (blob.size ? 'blob:bundle' : 'blob:empty'));
  const revokeObjectURL = vi.fn();
  Object.assign(URL, { createObjectURL, revokeObjectURL });
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  const { user } = renderWithProviders(
    <MultipleDeploy learnwares={[iris, wine]} weights={[0.7, 0.3]} />,
  );

  const group = screen.getByRole('group', { name: 'Run this combination' });
  expect(
    within(group).getByText('The learnwares are combined with JobSelectorReuser.'),
  ).toBeVisible();
  const python = within(group).getByLabelText('Python', { selector: 'pre' }).textContent;
  expect(python).toContain('from learnware_core.reuse import JobSelectorReuser');
  expect(python).toContain('learnwares = client.load([12, 7])');
  expect(python).toContain(
    'reuser = JobSelectorReuser(learnwares, weights=[0.7, 0.3], random_state=0).fit()',
  );

  await user.click(within(group).getByRole('button', { name: 'Download bundle' }));

  await waitFor(() => {
    expect(click).toHaveBeenCalledTimes(1);
  });
  expect(body).toEqual({ learnware_ids: [12, 7], weights: [0.7, 0.3] });
  // Node's Blob, not jsdom's: check what it holds rather than its class.
  const [saved] = createObjectURL.mock.calls[0] ?? [];
  expect(saved?.size).toBe(4);
  expect(saved?.type).toBe('application/zip');
  const link = click.mock.contexts[0] as HTMLAnchorElement;
  expect(link.download).toBe('learnware-bundle-12-7.zip');
  expect(revokeObjectURL).toHaveBeenCalledWith('blob:bundle');
});

test('a refused bundle shows the API message', async () => {
  server.use(
    http.post('*/api/bundles/', () =>
      HttpResponse.json(anError('learnware(s) 7 not found'), { status: 404 }),
    ),
  );
  const { user } = renderWithProviders(
    <MultipleDeploy learnwares={[iris, wine]} weights={[0.5, 0.5]} />,
  );

  await user.click(screen.getByRole('button', { name: 'Download bundle' }));

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('The bundle could not be made');
  expect(alert).toHaveTextContent('learnware(s) 7 not found');
});

test('the reuser follows the kind of learnwares: averaging votes for non-table classifiers', () => {
  const texts = [
    aLearnware({ id: 1, data_type: 'Text', task_type: 'Classification' }),
    aLearnware({ id: 2, data_type: 'Text', task_type: 'Classification' }),
  ];
  const choice = chooseReuser(texts, [0.5, 0.5]);
  expect(choice).toEqual({ reuser: 'AveragingReuser', mode: 'vote_by_label' });
  expect(pythonMultipleSnippet('https://dock', [1, 2], [2 / 3, 1 / 3], choice)).toContain(
    'reuser = AveragingReuser(learnwares, mode="vote_by_label", weights=[0.6667, 0.3333]).fit()',
  );
  const regressors = [aLearnware({ task_type: 'Regression' })];
  expect(chooseReuser(regressors, null)).toEqual({ reuser: 'AveragingReuser', mode: 'mean' });
});
