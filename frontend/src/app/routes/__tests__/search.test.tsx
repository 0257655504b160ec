import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { expect, test, vi } from 'vitest';

import { readText } from '@/features/learnwares/utils/stat-spec';
import {
  aLearnware,
  anError,
  aPage,
  aSearchHit,
  aSearchResult,
  aSemanticSpec,
  aVersion,
} from '@/testing/data';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

const STAT = JSON.stringify({
  type: 'RKMETableSpecification',
  z: [
    [1, 2, 3, 4, 5, 6],
    [6, 5, 4, 3, 2, 1],
  ],
  beta: [0.5, 0.5],
  gamma: 0.1,
  num_points: 400,
});

const statFile = (text = STAT) => new File([text], 'stat.json', { type: 'application/json' });

const fileInput = () => {
  // Mantine's FileInput keeps the real <input type=file> hidden next to its button.
  // eslint-disable-next-line testing-library/no-node-access
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
};

/** The search page, once its (lazy) route has loaded. */
async function renderSearch() {
  const view = renderApp('/search');
  await screen.findByRole('heading', { level: 1, name: 'Search learnwares' });
  return view;
}

async function choose(user: UserEvent, label: string, option: string) {
  await user.click(await screen.findByRole('combobox', { name: label }));
  await user.click(await screen.findByRole('option', { name: option, hidden: true }));
}

/**
 * What the page put in the multipart body. jsdom's Blob cannot be streamed by Node's fetch, so
 * MSW cannot parse the form; the fields are read where the page appends them instead.
 */
const recordForm = () => {
  const append = vi.spyOn(FormData.prototype, 'append');
  return () =>
    Object.fromEntries(
      append.mock.calls.map(([key, value]) => [key, value] as [string, string | Blob]),
    );
};

const iris = aLearnware({ id: 1, name: 'Iris classifier' });
const wine = aLearnware({ id: 2, name: 'Wine classifier' });

test('a statistical search shows the spec, the ranked learnwares and the weights chart', async () => {
  const form = recordForm();
  let contentType: string | null = null;
  server.use(
    http.post('*/api/learnwares/search/', ({ request }) => {
      contentType = request.headers.get('content-type');
      return HttpResponse.json({
        count: 2,
        results: [
          aSearchHit({ learnware: iris, score: 0.8, mmd2: 0.0123 }),
          aSearchHit({ learnware: wine, score: 0.25, mmd2: 0.456 }),
        ],
        multiple: {
          learnwares: [iris, wine],
          weights: [0.7, 0.3],
          mmd2: 0.005,
          score: 0.9,
          reason: 'The mix fits better than any one learnware.',
        },
      });
    }),
  );
  const { user } = renderApp('/search');

  expect(await screen.findByRole('heading', { level: 1, name: 'Search learnwares' })).toBeVisible();
  await choose(user, 'Data type', 'Table');
  await user.type(screen.getByRole('textbox', { name: 'Text' }), 'iris');
  await user.upload(fileInput(), statFile());
  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Search' }));

  expect(await screen.findByText('2 learnwares found')).toBeInTheDocument();
  const first = screen.getByRole('article', { name: 'Iris classifier' });
  expect(within(first).getByRole('link', { name: 'Iris classifier' })).toHaveAttribute(
    'href',
    '/learnwares/1',
  );
  expect(
    within(first).getByRole('progressbar', { name: 'Score of Iris classifier' }),
  ).toHaveAttribute('aria-valuenow', '80');
  expect(within(first).getByText('80.0%')).toBeInTheDocument();
  expect(within(first).getByText('MMD² 0.01230')).toBeInTheDocument();

  const combination = screen.getByRole('region', { name: 'Best combination' });
  expect(within(combination).getByText(/fits better than any one/)).toBeInTheDocument();
  const chart = within(combination).getByRole('figure', { name: 'Weights' });
  expect(
    within(chart).getByRole('progressbar', { name: 'Weight of Iris classifier' }),
  ).toHaveAttribute('aria-valuenow', '70');
  expect(
    within(chart).getByRole('progressbar', { name: 'Weight of Wine classifier' }),
  ).toHaveAttribute('aria-valuenow', '30');
  expect(within(chart).getByText('30.0%')).toBeInTheDocument();

  expect(contentType).toMatch(/^multipart\/form-data/);
  const sent = form();
  expect(sent).toMatchObject({ data_type: 'Table', query: 'iris', multiple: 'true' });
  expect(sent).not.toHaveProperty('task_type');
  const stat = sent.stat_spec;
  expect(stat).toBeInstanceOf(Blob);
  expect(await readText(stat as Blob)).toBe(STAT);
});

test('a file that is not an RKME spec is refused before sending', async () => {
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile('{"z": [[1]]}'));
  expect(await screen.findByText(/This JSON has no “type”/)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Search' })).toBeDisabled();

  await user.upload(fileInput(), statFile('not json'));
  expect(await screen.findByText('This file is not a JSON object.')).toBeInTheDocument();
});

test('a 400 names the field and says its problem once', async () => {
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json(
        anError("stat_spec: 'beta' has NaN or infinite values", {
          fields: { stat_spec: ["'beta' has NaN or infinite values"] },
        }),
        { status: 400 },
      ),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('The search was refused');
  expect(within(alert).getByRole('listitem')).toHaveTextContent(
    "Your statistical specification (stat_spec): 'beta' has NaN or infinite values",
  );
  // The message ("stat_spec: ...") repeats the field's problem: it is not shown again.
  expect(alert.textContent.match(/has NaN or infinite values/g)).toHaveLength(1);
});

test('a 503 says search is unavailable and to try again', async () => {
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json(anError('Search is unavailable: no search worker answered'), {
        status: 503,
        headers: { 'Retry-After': '5' },
      }),
    ),
  );
  const { user } = renderApp('/search');
  await user.type(await screen.findByRole('textbox', { name: 'Text' }), 'credit');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Search is unavailable');
  expect(alert).toHaveTextContent('Try again in a few seconds.');
});

/** 30 rows x 3 columns with a header and one empty cell (deterministic). */
const CSV = [
  'a,b,"c, with a comma"',
  ...Array.from({ length: 30 }, (_, i) =>
    [Math.sin(i), i === 4 ? '' : Math.cos(i * 0.7) * 2, (i % 5) - 2].join(','),
  ),
].join('\n');

test('a spec built from a CSV in the browser is shown, downloadable and sent like a stat.json', async () => {
  const form = recordForm();
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json({
        count: 1,
        results: [aSearchHit({ learnware: iris, score: 0.7, mmd2: 0.01 })],
        multiple: null,
      }),
    ),
  );
  const { user } = renderApp('/search');

  await user.click(await screen.findByRole('radio', { name: 'Build from a CSV' }));
  expect(screen.getByText(/the file never leaves this page/)).toBeInTheDocument();
  await user.upload(fileInput(), new File([CSV], 'data.csv', { type: 'text/csv' }));

  expect(
    await screen.findByText(
      'RKMETableSpecification, 3 features, K=20 — Built in your browser from 30 rows.',
    ),
  ).toBeInTheDocument();
  expect(
    screen.getByText(
      '1 missing or infinite cell was replaced by its column’s mean (rows with a replaced cell: 1). No row was dropped, as with “bmw spec table”.',
    ),
  ).toBeInTheDocument();
  expect(
    screen.getByText('3 of 3 columns chosen: the specification has dimension 3.'),
  ).toBeInTheDocument();
  const link = screen.getByRole('link', { name: 'Download stat.json' });
  expect(link).toHaveAttribute('download', 'stat.json');
  const href = link.getAttribute('href') ?? '';
  expect(href).toMatch(/^data:application\/json;charset=utf-8,/);

  await user.click(screen.getByRole('button', { name: 'Search' }));
  expect(await screen.findByText('1 learnware found')).toBeInTheDocument();

  const stat = form().stat_spec;
  expect(stat).toBeInstanceOf(Blob);
  const text = await readText(stat as Blob);
  expect(text).toBe(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  const sent = JSON.parse(text) as { z: number[][]; beta: number[] } & Record<string, unknown>;
  expect(Object.keys(sent)).toEqual(['z', 'beta', 'gamma', 'num_points', 'type']);
  expect(sent).toMatchObject({ num_points: 30, type: 'RKMETableSpecification' });
  expect(sent.gamma).toBeGreaterThan(0);
  expect(sent.z).toHaveLength(20);
  expect(sent.z[0]).toHaveLength(3);
  expect(sent.beta.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  // The header names the columns: sent as their descriptions, so the dock can locate them.
  expect(JSON.parse(form().input as string)).toEqual({
    Dimension: 3,
    Description: { 0: 'a', 1: 'b', 2: 'c, with a comma' },
  });
});

test('typed column descriptions are sent instead of the CSV header', async () => {
  const form = recordForm();
  server.use(http.post('*/api/learnwares/search/', () => HttpResponse.json(aSearchResult())));
  const { user } = renderApp('/search');
  await user.click(await screen.findByRole('radio', { name: 'Build from a CSV' }));
  await user.upload(fileInput(), new File([CSV], 'data.csv', { type: 'text/csv' }));
  await screen.findByText(/RKMETableSpecification, 3 features, K=20/);
  expect(columnsBox()).toHaveAccessibleDescription(
    /Left empty, your CSV header is sent as the descriptions: a, b, c, with a comma\./,
  );
  // The header counts as descriptions: the world can be asked for.
  expect(heteroBox()).toBeEnabled();
  await user.type(columnsBox(), 'x{Enter}y{Enter}z');
  await user.click(screen.getByRole('button', { name: 'Search' }));
  expect(await screen.findByText('0 learnwares found')).toBeInTheDocument();
  expect(JSON.parse(form().input as string)).toEqual({
    Dimension: 3,
    Description: { 0: 'x', 1: 'y', 2: 'z' },
  });
});

test('no good match is said with its reason, and no statistical result is listed', async () => {
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json(
        aSearchResult({
          no_match: true,
          reason:
            'no good match: no learnware takes columns like yours (by their descriptions), and no specification-world engine is active yet to bridge feature spaces',
        }),
      ),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  const notice = await screen.findByRole('status', { name: 'No good match' });
  expect(notice).toHaveTextContent(
    /^No good matchNo learnware takes columns like yours \(by their descriptions\)/,
  );
  expect(screen.queryByText(/learnwares? found/)).not.toBeInTheDocument();
  expect(screen.queryByText('No learnwares match.')).not.toBeInTheDocument();
  expect(screen.queryByRole('article')).not.toBeInTheDocument();
  expect(screen.queryByRole('region', { name: 'Best combination' })).not.toBeInTheDocument();
});

test('confidences are shown with what they mean; the score where there is none', async () => {
  const flights = aLearnware({
    id: 7,
    name: 'Flight delays',
    semantic_spec: aSemanticSpec({
      Input: { Dimension: 3, Description: { 0: 'departure delay', 1: 'carrier', 2: 'distance' } },
    }),
  });
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json(
        aSearchResult({
          count: 2,
          results: [
            aSearchHit({
              learnware: flights,
              score: 0.853,
              confidence: 0.853,
              missing_columns: [1, 2],
              reason: 'its columns are assumed to be in the same order as yours',
            }),
            aSearchHit({ learnware: wine, score: 0.4, mmd2: 0.2 }),
          ],
          multiple: {
            learnwares: [flights, wine],
            weights: [0.6, 0.4],
            mmd2: 0.01,
            score: 0.7,
            confidence: 0.7,
            reason: 'A mix of two sources.',
          },
          reason: 'few of your columns are described, so results may be weak',
        }),
      ),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  expect(await screen.findByText('2 learnwares found')).toBeInTheDocument();
  expect(screen.getByRole('status', { name: 'The results may be weak' })).toHaveTextContent(
    'Few of your columns are described, so results may be weak',
  );
  const first = screen.getByRole('article', { name: 'Flight delays' });
  expect(
    within(first).getByRole('progressbar', { name: 'Confidence for Flight delays' }),
  ).toHaveAttribute('aria-valuenow', '85.3');
  expect(
    within(first).queryByRole('progressbar', { name: 'Score of Flight delays' }),
  ).not.toBeInTheDocument();
  expect(within(first).getByText('85.3%')).toBeInTheDocument();
  expect(
    within(first).getByText('Its columns are assumed to be in the same order as yours'),
  ).toBeInTheDocument();
  expect(
    within(first).getByText('Your data cannot feed 2 of its columns: “carrier”, “distance”.'),
  ).toBeInTheDocument();
  // What it means: the caption's tooltip, and the bar's title.
  expect(within(first).getByText('Confidence')).toBeInTheDocument();
  expect(
    within(first).getByRole('progressbar', { name: 'Confidence for Flight delays' }),
  ).toHaveAttribute('title', 'Estimated chance this learnware was built on data like yours.');

  const second = screen.getByRole('article', { name: 'Wine classifier' });
  expect(
    within(second).getByRole('progressbar', { name: 'Score of Wine classifier' }),
  ).toHaveAttribute('aria-valuenow', '40');
  expect(within(second).queryByText('Confidence')).not.toBeInTheDocument();

  const combination = screen.getByRole('region', { name: 'Best combination' });
  expect(
    within(combination).getByRole('progressbar', { name: 'Confidence of the combination' }),
  ).toHaveAttribute('aria-valuenow', '70');
});

test('a CSV that cannot be used says why and blocks the search; the stat.json upload is kept', async () => {
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();

  await user.click(screen.getByRole('radio', { name: 'Build from a CSV' }));
  await user.upload(fileInput(), new File(['a,b,c\n1,2,3\n4,5\n'], 'bad.csv'));
  expect(await screen.findByText('Row 3 has 2 fields; the first row has 3.')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Search' })).toBeDisabled();

  await user.upload(fileInput(), new File(['id,name\nfoo,a\nbar,b\n'], 'text.csv'));
  expect(
    await screen.findByText(
      'No column of this file is numeric: there is nothing to build the specification from.',
    ),
  ).toBeInTheDocument();
  expect(screen.getByRole('checkbox', { name: 'name' })).toBeDisabled();
  expect(screen.getByRole('button', { name: 'Search' })).toBeDisabled();

  await user.click(screen.getByRole('radio', { name: 'Upload a stat.json' }));
  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Search' })).toBeEnabled();
});

test('an example fills in a listed learnware’s own RKME and its data type', async () => {
  const form = recordForm();
  const photos = aLearnware({
    id: 3,
    name: 'Photo tagger',
    data_type: 'Image',
    live_version: aVersion({ id: 31, learnware_id: 3 }),
  });
  server.use(
    http.get('*/api/learnwares/', () =>
      HttpResponse.json(aPage([iris, aLearnware({ id: 4, name: 'Iris v2' }), photos])),
    ),
    http.get('*/api/versions/11/stat-spec/', () => HttpResponse.json(JSON.parse(STAT) as object)),
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json({ count: 0, results: [], multiple: null }),
    ),
  );
  const { user } = await renderSearch();

  const examples = await screen.findByRole('group', { name: 'Examples to try:' });
  // One per data type first.
  expect(
    within(examples)
      .getAllByRole('button')
      .map((b) => b.textContent),
  ).toEqual([
    'Data like “Iris classifier” (Table)',
    'Data like “Photo tagger” (Image)',
    'Data like “Iris v2” (Table)',
  ]);
  await user.click(within(examples).getByRole('button', { name: /Iris classifier/ }));

  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();
  expect(screen.getByRole('combobox', { name: 'Data type' })).toHaveValue('Table');
  await user.click(screen.getByRole('button', { name: 'Search' }));
  expect(await screen.findByText('0 learnwares found')).toBeInTheDocument();
  const sent = form();
  expect(sent).toMatchObject({ data_type: 'Table' });
  expect(await readText(sent.stat_spec as Blob)).toBe(STAT);
});

test('the market’s example user specs come first when it has some', async () => {
  const form = recordForm();
  server.use(
    http.get('*/api/search/examples/', () =>
      HttpResponse.json([
        {
          id: 5,
          name: 'United Air Lines flights from EWR, October to December',
          description: 'Later flights of one group.',
          data_type: 'Table',
          stat_spec_type: 'RKMETableSpecification',
          input: {
            Dimension: 6,
            Description: { '1': 'sched_dep_time', '0': 'dep_time', '2': 'dep_delay' },
          },
        },
      ]),
    ),
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json({ count: 0, results: [], multiple: null }),
    ),
    http.get('*/api/search/examples/5/stat-spec/', () =>
      HttpResponse.json(JSON.parse(STAT) as object),
    ),
    http.get('*/api/learnwares/', () => HttpResponse.json(aPage([iris]))),
  );
  const { user } = await renderSearch();

  const examples = await screen.findByRole('group', { name: 'Examples to try:' });
  const buttons = within(examples).getAllByRole('button');
  expect(buttons.map((b) => b.textContent)).toEqual([
    'United Air Lines flights from EWR, October to December (Table)',
  ]);
  await user.click(within(examples).getByRole('button', { name: /United Air Lines/ }));
  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();
  expect(screen.getByRole('combobox', { name: 'Data type' })).toHaveValue('Table');
  // The example user's own column names fill the descriptions and go with the search.
  expect(columnsBox()).toHaveValue('dep_time\nsched_dep_time\ndep_delay');
  await user.click(screen.getByRole('button', { name: 'Search' }));
  expect(await screen.findByText('0 learnwares found')).toBeInTheDocument();
  expect(JSON.parse(form().input as string)).toMatchObject({
    Description: { '0': 'dep_time', '1': 'sched_dep_time', '2': 'dep_delay' },
  });
});

const columnsBox = () => screen.getByRole('textbox', { name: 'Column descriptions (optional)' });
const heteroBox = () =>
  screen.getByRole('checkbox', {
    name: 'Search the specification world even if learnwares share my columns',
  });

test('column descriptions are offered for a table spec only', async () => {
  const { user } = await renderSearch();
  expect(
    screen.queryByRole('textbox', { name: 'Column descriptions (optional)' }),
  ).not.toBeInTheDocument();

  await user.upload(
    fileInput(),
    statFile(JSON.stringify({ type: 'RKMEImageSpecification', z: [[1, 2]] })),
  );
  expect(await screen.findByText('RKMEImageSpecification, 2 features, K=1')).toBeInTheDocument();
  expect(
    screen.queryByRole('textbox', { name: 'Column descriptions (optional)' }),
  ).not.toBeInTheDocument();

  await user.upload(fileInput(), statFile());
  expect(await screen.findByText('RKMETableSpecification, 6 features, K=2')).toBeInTheDocument();
  expect(columnsBox()).toHaveValue('');
  expect(columnsBox()).toHaveAccessibleDescription(
    /Descriptions let the dock also find learnwares whose tables have different columns.*Your specification has 6 columns\./,
  );
  expect(heteroBox()).toBeDisabled();
});

test('column descriptions are sent as the semantic Input and a world ranking is announced', async () => {
  const form = recordForm();
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json({
        count: 1,
        results: [aSearchHit({ learnware: wine, score: 0.6, mmd2: null })],
        multiple: null,
        heterogeneous: true,
        engine_version: 'w-2025.07',
      }),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  await user.type(columnsBox(), 'age in years{Enter}  yearly income {Enter}{Enter}city{Enter}');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  expect(await screen.findByText('1 learnware found')).toBeInTheDocument();
  const notice = screen.getByRole('status', {
    name: 'Ranked in the specification world (engine w-2025.07)',
  });
  expect(notice).toHaveTextContent(/other columns than yours/);
  // The notice comes before the results.
  expect(
    notice.compareDocumentPosition(screen.getByRole('article', { name: 'Wine classifier' })),
  ).toBe(Node.DOCUMENT_POSITION_FOLLOWING);

  const sent = form();
  expect(JSON.parse(sent.input as string)).toEqual({
    Dimension: 4,
    Description: { 0: 'age in years', 1: 'yearly income', 2: '', 3: 'city' },
  });
  expect(sent).not.toHaveProperty('hetero');
});

test('the specification-world checkbox sends hetero with the descriptions', async () => {
  const form = recordForm();
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json({
        count: 0,
        results: [],
        multiple: null,
        heterogeneous: false,
        engine_version: null,
      }),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  expect(heteroBox()).toBeDisabled();
  await user.type(columnsBox(), 'a{Enter}b{Enter}c{Enter}d{Enter}e{Enter}f');
  expect(heteroBox()).toBeEnabled();
  await user.click(heteroBox());
  expect(heteroBox()).toBeChecked();
  await user.click(screen.getByRole('button', { name: 'Search' }));

  expect(await screen.findByText('0 learnwares found')).toBeInTheDocument();
  expect(
    screen.queryByRole('status', { name: /Ranked in the specification world/ }),
  ).not.toBeInTheDocument();
  const sent = form();
  expect(sent).toMatchObject({ hetero: 'true' });
  expect(JSON.parse(sent.input as string)).toMatchObject({ Dimension: 6 });
});

test('a 400 naming input is shown next to the column descriptions', async () => {
  const problem = 'Dimension is 2 but your RKME has 6 columns';
  server.use(
    http.post('*/api/learnwares/search/', () =>
      HttpResponse.json(anError(`input: ${problem}`, { fields: { input: [problem] } }), {
        status: 400,
      }),
    ),
  );
  const { user } = await renderSearch();
  await user.upload(fileInput(), statFile());
  await screen.findByText('RKMETableSpecification, 6 features, K=2');
  await user.type(columnsBox(), 'age{Enter}income');
  await user.click(screen.getByRole('button', { name: 'Search' }));

  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('The search was refused');
  expect(alert).toHaveTextContent('See the highlighted field.');
  // Said once: next to the field, not again in the alert.
  expect(alert).not.toHaveTextContent(problem);
  expect(columnsBox()).toBeInvalid();
  expect(columnsBox()).toHaveAccessibleDescription(expect.stringContaining(problem));
});
