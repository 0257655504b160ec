import {
  Accordion,
  Alert,
  Anchor,
  Button,
  Checkbox,
  FileInput,
  Group,
  NumberInput,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { BuildRkmeFailure, BuildRkmeProgress } from '../rkme/build-rkme';
import {
  type CsvColumn,
  type CsvProfile,
  DEFAULT_N_POINTS,
  numericColumns,
} from '../rkme/rkme-table';
import type { CsvSettings, CsvSettingsErrors, CsvStatSpec } from '../rkme/use-csv-stat-spec';

/** The Data type whose learnwares carry table specifications. */
const TABLE_DATA_TYPE = 'Table';
const ADVANCED = 'advanced';

/** A data URL of the stat.json (no object URL to revoke; a spec is at most a few MB). */
const statHref = (text: string) =>
  `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;

/** A cell as quoted in a message: at most 40 characters. */
const clip = (value: string) => (value.length > 40 ? `${value.slice(0, 39)}…` : value);

function useFailureText() {
  const { t } = useTranslation();
  return (failure: BuildRkmeFailure): string => {
    switch (failure.code) {
      case 'empty':
        return t('search.csv.errors.empty');
      case 'unterminatedQuote':
        return t('search.csv.errors.unterminatedQuote', { row: failure.row });
      case 'ragged':
        return t('search.csv.errors.ragged', {
          row: failure.row,
          found: failure.found,
          expected: failure.expected,
        });
      case 'noFiniteValue':
        return failure.name
          ? t('search.csv.errors.noFiniteValueNamed', {
              column: failure.column,
              name: failure.name,
            })
          : t('search.csv.errors.noFiniteValue', { column: failure.column });
      case 'notNumeric':
        return t('search.csv.errors.notNumeric', {
          column: failure.name ?? failure.column,
          row: failure.row,
          value: clip(failure.value),
        });
      case 'noColumns':
        return t('search.csv.errors.noColumns');
      case 'invalidOption':
        return t('search.csv.errors.invalidOption', { message: failure.message });
      case 'unexpected':
        return t('search.csv.errors.unexpected', { message: failure.message });
    }
  };
}

function useProgressText() {
  const { t } = useTranslation();
  return (progress: BuildRkmeProgress): string => {
    switch (progress.phase) {
      case 'reading':
        return t('search.csv.reading');
      case 'parsing':
        return t('search.csv.parsing');
      case 'init':
        return t('search.csv.init', { count: progress.rows });
      case 'iteration':
        return t('search.csv.iteration', {
          iteration: progress.iteration,
          maxIter: progress.maxIter,
        });
    }
  };
}

/** Why a column can or cannot be used, in words (not only a disabled checkbox). */
function useColumnNote() {
  const { t } = useTranslation();
  return (column: CsvColumn): string | undefined => {
    if (column.kind === 'text' && column.example) {
      return t('search.csv.columns.text', {
        row: column.example.row,
        value: clip(column.example.value),
      });
    }
    if (column.kind === 'noValue') return t('search.csv.columns.noValue');
    return column.missing > 0
      ? t('search.csv.columns.missing', { count: column.missing })
      : undefined;
  };
}

/**
 * The file's columns as checkboxes: numeric ones can be chosen (all are, until the user
 * chooses), the others are listed disabled with the reason. Shows the resulting dimension.
 */
function CsvColumnsField({
  table,
  chosen,
  error,
  onChange,
}: {
  table: CsvProfile;
  chosen: number[];
  error: boolean;
  onChange: (columns: number[]) => void;
}) {
  const { t } = useTranslation();
  const note = useColumnNote();
  return (
    <Stack gap={4}>
      <Checkbox.Group
        label={t('search.csv.columns.label')}
        description={t('search.csv.columns.help')}
        value={chosen.map(String)}
        error={error ? t('search.csv.columns.noneChosen') : undefined}
        onChange={(values) => {
          onChange(values.map(Number).sort((a, b) => a - b));
        }}
      >
        <Group gap="xs" my={4}>
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => {
              onChange(numericColumns(table));
            }}
          >
            {t('search.csv.columns.all')}
          </Button>
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => {
              onChange([]);
            }}
          >
            {t('search.csv.columns.clear')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={260} type="auto">
          <SimpleGrid
            cols={{ base: 1, xs: 2, sm: 3, md: 4 }}
            spacing="xs"
            verticalSpacing={6}
            py={2}
          >
            {table.columns.map((column, j) => (
              <Checkbox
                // A file's columns never change order: the index is their identity.
                key={j}
                value={String(j)}
                label={column.name ?? t('search.csv.columns.unnamed', { column: j + 1 })}
                description={note(column)}
                disabled={column.kind !== 'numeric'}
              />
            ))}
          </SimpleGrid>
        </ScrollArea.Autosize>
      </Checkbox.Group>
      <Text size="sm" role="status">
        {t('search.csv.columns.chosen', { count: chosen.length, total: table.columns.length })}
      </Text>
    </Stack>
  );
}

/** K, gamma and standardisation, collapsed until opened (kept open while one is invalid). */
function AdvancedFields({
  settings,
  errors,
  onChange,
}: {
  settings: CsvSettings;
  errors: CsvSettingsErrors;
  onChange: (patch: Partial<CsvSettings>) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const invalid = Boolean(errors.k ?? errors.gamma);
  return (
    <Accordion
      variant="contained"
      value={opened || invalid ? ADVANCED : null}
      onChange={(value) => {
        setOpened(value === ADVANCED);
      }}
    >
      <Accordion.Item value={ADVANCED}>
        <Accordion.Control>{t('search.csv.advanced.title')}</Accordion.Control>
        <Accordion.Panel>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t('search.csv.advanced.k')}
              description={t('search.csv.advanced.kHelp', { value: DEFAULT_N_POINTS })}
              value={settings.k}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              error={errors.k ? t('search.csv.advanced.kError') : undefined}
              onChange={(k) => {
                onChange({ k });
              }}
            />
            <TextInput
              label={t('search.csv.advanced.gamma')}
              description={t('search.csv.advanced.gammaHelp')}
              inputMode="decimal"
              value={settings.gamma}
              error={errors.gamma ? t('search.csv.advanced.gammaError') : undefined}
              onChange={(event) => {
                onChange({ gamma: event.currentTarget.value });
              }}
            />
          </SimpleGrid>
          <Checkbox
            mt="md"
            label={t('search.csv.advanced.standardize')}
            description={t('search.csv.advanced.standardizeHelp')}
            checked={settings.standardize}
            onChange={(event) => {
              onChange({ standardize: event.currentTarget.checked });
            }}
          />
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

/**
 * Pick a CSV and build its table RKME in the browser (a Web Worker) from the chosen columns,
 * with `bmw spec table`'s K, gamma and standardisation: a progress bar while it runs, then the spec's size, how
 * many cells were imputed and a link to download it as stat.json. `dataType` is the search's
 * Data filter: a table spec cannot rank learnwares of another data type, which is said.
 */
export function CsvStatSpecField({
  csv,
  dataType = null,
}: {
  csv: CsvStatSpec;
  dataType?: string | null;
}) {
  const { t } = useTranslation();
  const failureText = useFailureText();
  const progressText = useProgressText();
  const { file, state, table, settings, options, errors } = csv;
  const result = state.status === 'done' ? state.result : null;
  const href = useMemo(() => (result ? statHref(result.text) : null), [result]);
  const requestedK = options?.nPoints;

  return (
    <Stack gap="xs">
      <FileInput
        label={t('search.csv.label')}
        description={t('search.csv.help')}
        placeholder={t('search.csv.placeholder')}
        accept=".csv,.tsv,text/csv,text/tab-separated-values"
        clearable
        clearButtonProps={{ 'aria-label': t('search.csv.clearFile') }}
        value={file}
        error={state.status === 'error' ? failureText(state.failure) : undefined}
        onChange={csv.pick}
      />
      {dataType && dataType !== TABLE_DATA_TYPE && (
        <Alert color="yellow" title={t('search.csv.dataTypeMismatchTitle')}>
          {t('search.csv.dataTypeMismatch', { dataType, table: TABLE_DATA_TYPE })}
        </Alert>
      )}
      {file && table && (
        <CsvColumnsField
          table={table}
          chosen={settings.columns ?? numericColumns(table)}
          error={errors.columns === 'none'}
          onChange={(columns) => {
            csv.change({ columns });
          }}
        />
      )}
      <AdvancedFields settings={settings} errors={errors} onChange={csv.change} />
      {state.status === 'running' && (
        <Stack gap={4}>
          <Progress.Root size="lg">
            <Progress.Section
              value={Math.round(state.fraction * 100)}
              animated
              striped
              aria-label={t('search.csv.progress')}
            />
          </Progress.Root>
          <Text size="sm" c="dimmed" role="status">
            {progressText(state.progress)}
          </Text>
        </Stack>
      )}
      {result && href && (
        <Stack gap={4}>
          <Text size="sm" c="dimmed" role="status">
            {t('search.statSummary', {
              type: result.stat.type,
              count: result.columns,
              points: result.stat.z.length,
            })}
            {' — '}
            {t('search.csv.built', { count: result.rows })}
          </Text>
          {requestedK !== undefined && result.stat.z.length < requestedK && (
            <Text size="sm" c="dimmed">
              {t('search.csv.advanced.kCapped', {
                requested: requestedK,
                points: result.stat.z.length,
              })}
            </Text>
          )}
          {result.imputed > 0 && (
            <Text size="sm" c="dimmed">
              {t('search.csv.filled', { count: result.imputed, rows: result.imputedRows })}
            </Text>
          )}
          <Anchor href={href} download="stat.json" size="sm">
            {t('search.csv.download')}
          </Anchor>
        </Stack>
      )}
    </Stack>
  );
}
