import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { strToU8, zipSync } from 'fflate';
import { http, HttpResponse } from 'msw';
import { expect, test, vi } from 'vitest';

import {
  aCheckStep,
  aLearnware,
  aSemanticVocabulary,
  aVersion,
  aVersionDetail,
} from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp, signedInAs } from '@/testing/test-utils';

// jsdom's XMLHttpRequest cannot send a jsdom FormData through MSW, so the upload helper is
// replaced by one that posts the form's fields as JSON with fetch (MSW answers it) and reports
// progress once. Everything else in the wizard runs for real.
vi.mock('@/lib/api/upload', async () => {
  const { apiBaseUrl, csrfToken } = await import('@/lib/api/client');
  return {
    uploadMultipart: async (
      path: string,
      body: FormData,
      options: { onProgress?: (p: { loaded: number; total: number }) => void } = {},
    ): Promise<unknown> => {
      options.onProgress?.({ loaded: 1, total: 2 });
      const file = body.get('package');
      const response = await fetch(apiBaseUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': await csrfToken() },
        body: JSON.stringify({
          semantic_spec: body.get('semantic_spec'),
          package: file instanceof File ? file.name : null,
        }),
      });
      return response.json();
    },
  };
});

const YAML = `model:
  class_name: Model
  input_shape: !!python/tuple
  - 2
stat_specifications:
- class_name: RKMETableSpecification
  file_name: stat.json
`;

const zipOf = (files: Record<string, string>) =>
  new File(
    [zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))],
    'iris.zip',
    { type: 'application/zip' },
  );

const goodZip = () =>
  zipOf({
    'learnware.yaml': YAML,
    '__init__.py': '',
    'requirements.txt': 'scikit-learn',
    'stat.json': JSON.stringify({ type: 'RKMETableSpecification', z: [[1, 2]], beta: [1] }),
  });

async function choose(user: UserEvent, label: string, option: string) {
  await user.click(screen.getByRole('combobox', { name: label }));
  await user.click(await screen.findByRole('option', { name: option, hidden: true }));
}

/** Fills the first three steps for a table classifier with 2 inputs and 2 classes. */
async function fillDescription(user: UserEvent) {
  await user.type(await screen.findByRole('textbox', { name: /^Name/ }), 'Iris classifier');
  await choose(user, 'Data type', 'Table');
  await choose(user, 'Task type', 'Classification');
  await choose(user, 'Library', 'Scikit-learn');
  await choose(user, 'License', 'MIT');
  await choose(user, 'Scenario', 'Education');
  await user.click(screen.getByRole('button', { name: 'Next' }));

  await user.type(await screen.findByRole('textbox', { name: /^Number of input columns/ }), '2');
  await user.type(screen.getByRole('textbox', { name: 'Column 0' }), 'sepal length');
  await user.type(screen.getByRole('textbox', { name: /^Number of classes/ }), '2');
  await user.type(screen.getByRole('textbox', { name: 'Class 1' }), 'versicolor');
  await user.click(screen.getByRole('button', { name: 'Next' }));

  await user.type(
    await screen.findByRole('textbox', { name: /^Description/ }),
    'A **forest** for iris.',
  );
  expect(await screen.findByText('forest')).toHaveProperty('tagName', 'STRONG');
  await user.click(screen.getByRole('button', { name: 'Next' }));
}

const fileInput = () => {
  // Mantine's FileInput keeps the real <input type=file> hidden next to its button.
  // eslint-disable-next-line testing-library/no-node-access
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
};

test('the wizard validates each step, checks the zip, uploads it and follows the checks', async () => {
  signedInAs();
  let uploaded: { spec: unknown; file: string; csrf: string | null } | null = null;
  let polls = 0;
  server.use(
    http.post('*/api/learnwares/', async ({ request }) => {
      const form = (await request.json()) as { semantic_spec: string; package: string };
      uploaded = {
        spec: JSON.parse(form.semantic_spec),
        file: form.package,
        csrf: request.headers.get('X-CSRFToken'),
      };
      return HttpResponse.json(
        {
          ...aLearnware({ id: 5, live_version: null }),
          version: aVersion({ id: 50, status: 'queued' }),
        },
        { status: 201 },
      );
    }),
    http.get('*/api/versions/50/', () => {
      polls += 1;
      return HttpResponse.json(
        polls === 1
          ? aVersionDetail({
              id: 50,
              status: 'checking',
              check_steps: [aCheckStep({ name: 'format', status: 'running', duration_s: null })],
            })
          : aVersionDetail({
              id: 50,
              status: 'awaiting_review',
              check_steps: [
                aCheckStep({ name: 'format' }),
                aCheckStep({ position: 2, name: 'model_loads' }),
              ],
            }),
      );
    }),
  );
  const { user } = renderApp('/submit');

  // Step 1 refuses to go on while fields are missing.
  await user.click(await screen.findByRole('button', { name: 'Next' }));
  expect(await screen.findByText('The name needs 5 to 50 characters.')).toBeInTheDocument();
  await user.clear(screen.getByRole('textbox', { name: /^Name/ }));

  await fillDescription(user);
  await user.upload(fileInput(), goodZip());
  expect(await screen.findByText('The package looks right')).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Upload and check' }));

  expect(await screen.findByText('All checks passed', {}, { timeout: 4000 })).toBeInTheDocument();
  const report = screen.getByRole('region', { name: 'Check report' });
  expect(within(report).getByRole('listitem', { name: 'Model loads: passed' })).toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'Open the learnware page' })).toHaveAttribute(
    'href',
    '/learnwares/5',
  );
  expect(polls).toBeGreaterThanOrEqual(2);
  expect(uploaded).toMatchObject({
    file: 'iris.zip',
    csrf: 'test-csrf-token',
    spec: {
      Name: { Type: 'String', Values: 'Iris classifier' },
      Data: { Type: 'Class', Values: ['Table'] },
      Scenario: { Type: 'Tag', Values: ['Education'] },
      Input: { Dimension: 2, Description: { '0': 'sepal length' } },
      Output: { Dimension: 2, Description: { '1': 'versicolor' } },
    },
  });
}, 20_000);

test('the wizard rejects a zip without learnware.yaml before uploading anything', async () => {
  signedInAs();
  const { user } = renderApp('/submit');
  await fillDescription(user);

  await user.upload(fileInput(), zipOf({ '__init__.py': '', 'requirements.txt': '' }));

  expect(await screen.findByRole('alert')).toHaveTextContent('learnware.yaml is missing');
  expect(screen.getByRole('button', { name: 'Upload and check' })).toBeDisabled();
}, 20_000);

test('the submit page asks a visitor to sign in', async () => {
  const { router } = renderApp('/submit');
  expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  expect(router.state.location.search).toBe('?redirect=%2Fsubmit');
});

test('the wizard takes its tag values and lengths from the vocabulary endpoint', async () => {
  signedInAs();
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  server.use(
    http.get('*/api/semantic-vocabulary/', async () => {
      await answered;
      return HttpResponse.json(
        aSemanticVocabulary({
          licenses: ['MIT', 'Zlib'],
          tasks_by_data: { Table: ['Regression'], Image: ['Segmentation'], Text: ['Others'] },
          name_length: [3, 8],
        }),
      );
    }),
  );
  const { user } = renderApp('/submit');

  // Loading until the vocabulary answers.
  expect(await screen.findByLabelText('Loading')).toBeInTheDocument();
  expect(screen.queryByRole('combobox', { name: 'License' })).not.toBeInTheDocument();
  answer();

  await screen.findByRole('combobox', { name: 'License' });
  await choose(user, 'License', 'Zlib');
  await choose(user, 'Data type', 'Image');
  await user.click(screen.getByRole('combobox', { name: 'Task type' }));
  expect(await screen.findByRole('option', { name: 'Segmentation', hidden: true })).toBeDefined();
  expect(screen.queryByRole('option', { name: 'Classification', hidden: true })).toBeNull();

  await user.click(screen.getByRole('button', { name: 'Next' }));
  expect(await screen.findByText('The name needs 3 to 8 characters.')).toBeInTheDocument();
});
