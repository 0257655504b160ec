import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';

import { theme } from '@/config/theme';
import '@/lib/i18n';

import type { RkmeTableStat } from '../../rkme/rkme-table';
import { useCsvStatSpec } from '../../rkme/use-csv-stat-spec';
import { CsvStatSpecField } from '../csv-stat-spec-field';

/** The field with its own state, as the search page uses it. */
function Field({ dataType }: { dataType?: string | null }) {
  const csv = useCsvStatSpec();
  return <CsvStatSpecField csv={csv} dataType={dataType} />;
}

function renderField(dataType?: string | null) {
  const user = userEvent.setup();
  render(
    <MantineProvider theme={theme}>
      <Field dataType={dataType} />
    </MantineProvider>,
  );
  return { user };
}

/** 40 rows: a text id, two features (one empty cell) and a numeric target. */
const csvFile = (target: (i: number) => number = (i) => i % 2) =>
  new File(
    [
      [
        'id,x1,x2,target',
        ...Array.from(
          { length: 40 },
          (_, i) => `u${i},${Math.sin(i)},${i === 7 ? '' : Math.cos(i * 0.7) * 2},${target(i)}`,
        ),
      ].join('\n'),
    ],
    'data.csv',
    { type: 'text/csv' },
  );

const fileInput = () => {
  // Mantine's FileInput keeps the real <input type=file> hidden next to its button.
  // eslint-disable-next-line testing-library/no-node-access
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
};

/** The spec the download link holds. */
const downloaded = async (): Promise<RkmeTableStat> => {
  const href = (await screen.findByRole('link', { name: 'Download stat.json' })).getAttribute(
    'href',
  );
  return JSON.parse(decodeURIComponent(href?.slice(href.indexOf(',') + 1) ?? '')) as RkmeTableStat;
};

test('numeric columns are chosen by default; the others are listed, disabled, with the reason', async () => {
  const { user } = renderField();
  await user.upload(fileInput(), csvFile());

  expect(
    await screen.findByText(
      'RKMETableSpecification, 3 features, K=26 — Built in your browser from 40 rows.',
    ),
  ).toBeInTheDocument();
  expect(screen.getByRole('group', { name: 'Feature columns' })).toBeInTheDocument();
  const id = screen.getByRole('checkbox', { name: 'id' });
  expect(id).toBeDisabled();
  expect(id).not.toBeChecked();
  expect(id).toHaveAccessibleDescription('Not numeric (row 2: “u0”), so it cannot be used');
  for (const name of ['x1', 'x2', 'target']) {
    expect(screen.getByRole('checkbox', { name })).toBeChecked();
  }
  expect(screen.getByRole('checkbox', { name: 'x2' })).toHaveAccessibleDescription(
    '1 missing cell, replaced by the column’s mean',
  );
  expect(
    screen.getByText('3 of 4 columns chosen: the specification has dimension 3.'),
  ).toBeInTheDocument();
  expect(
    screen.getByText(
      '1 missing or infinite cell was replaced by its column’s mean (rows with a replaced cell: 1). No row was dropped, as with “bmw spec table”.',
    ),
  ).toBeInTheDocument();
  // K = 100 is capped at two thirds of the 40 rows.
  expect(screen.getByText(/K is 26, not 100/)).toBeInTheDocument();
  const stat = await downloaded();
  expect(stat.z).toHaveLength(26);
  expect(stat.z.every((point) => point.length === 3)).toBe(true);
});

test('a left-out column changes the dimension, and its values do not change the spec', async () => {
  const { user } = renderField();
  const withoutTarget = async (file: File) => {
    await user.upload(fileInput(), file);
    await user.click(await screen.findByRole('checkbox', { name: 'target' }));
    expect(
      await screen.findByText(
        'RKMETableSpecification, 2 features, K=26 — Built in your browser from 40 rows.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('2 of 4 columns chosen: the specification has dimension 2.'),
    ).toBeInTheDocument();
    return downloaded();
  };

  const first = await withoutTarget(csvFile((i) => i % 2));
  expect(first.z.every((point) => point.length === 2)).toBe(true);
  const second = await withoutTarget(csvFile((i) => 1000 * i));
  expect(second).toEqual(first);
});

test('no chosen column blocks the spec until one is chosen again', async () => {
  const { user } = renderField();
  await user.upload(fileInput(), csvFile());
  await screen.findByRole('link', { name: 'Download stat.json' });

  await user.click(screen.getByRole('button', { name: 'Uncheck all' }));
  expect(await screen.findByText('Choose at least one feature column.')).toBeInTheDocument();
  expect(screen.queryByRole('link', { name: 'Download stat.json' })).not.toBeInTheDocument();

  await user.click(screen.getByRole('button', { name: 'Check all numeric columns' }));
  expect(await screen.findByText(/3 features, K=26/)).toBeInTheDocument();
});

test('the advanced settings set K and gamma, and name the field that is invalid', async () => {
  const { user } = renderField();
  const advanced = screen.getByRole('button', { name: 'Advanced settings' });
  expect(advanced).toHaveAttribute('aria-expanded', 'false');
  await user.upload(fileInput(), csvFile());
  await screen.findByText(/3 features, K=26/);

  await user.click(advanced);
  const k = await screen.findByRole('textbox', { name: 'Reduced-set size K' });
  expect(k).toHaveValue('100');
  await user.clear(k);
  expect(
    await screen.findByText('Reduced-set size K must be a whole number of at least 1.'),
  ).toBeInTheDocument();
  expect(screen.queryByRole('link', { name: 'Download stat.json' })).not.toBeInTheDocument();
  await user.type(k, '5');
  expect(await screen.findByText(/3 features, K=5 —/)).toBeInTheDocument();
  expect((await downloaded()).z).toHaveLength(5);

  const gamma = screen.getByRole('textbox', { name: 'Kernel parameter gamma (γ)' });
  expect(gamma).toHaveValue('median');
  expect(gamma).toHaveAccessibleDescription(
    /The dock compares specifications under its own kernel, so γ only affects how the reduced set is fitted\./,
  );
  const standardize = screen.getByRole('checkbox', {
    name: 'Standardise the columns before fitting',
  });
  expect(standardize).toBeChecked();
  const byMedian = await downloaded();
  await user.clear(gamma);
  await user.type(gamma, '0');
  expect(
    await screen.findByText('Gamma (γ) must be “median” or a number greater than 0.'),
  ).toBeInTheDocument();
  expect(screen.queryByRole('link', { name: 'Download stat.json' })).not.toBeInTheDocument();
  await user.type(gamma, '.5');
  await screen.findByText(/3 features, K=5 —/);
  // Fitted on standardised columns: the stored gamma is the raw-unit equivalent.
  const standardised = await downloaded();
  expect(standardised.gamma).not.toBe(0.5);
  expect(standardised.gamma).not.toBe(byMedian.gamma);
  await user.click(standardize);
  expect(standardize).not.toBeChecked();
  await waitFor(async () => {
    expect(await downloaded()).toMatchObject({ gamma: 0.5, num_points: 40 });
  });
});

test('a Data type other than Table is explained', () => {
  renderField('Image');
  expect(screen.getByText(/the Data type filter is “Image”/)).toBeInTheDocument();
});

test('no explanation for Table or no Data type', () => {
  renderField('Table');
  expect(screen.queryByText(/the Data type filter is/)).not.toBeInTheDocument();
});
