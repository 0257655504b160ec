import { Anchor, FileInput, Progress, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import type { BuildRkmeFailure, BuildRkmeProgress } from '../rkme/build-rkme';
import type { BuildRkmeState } from '../rkme/use-build-rkme';

/** A data URL of the stat.json (no object URL to revoke; a spec is at most a few MB). */
const statHref = (text: string) =>
  `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;

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

/**
 * Pick a CSV and build its table RKME in the browser (a Web Worker): a progress bar while it
 * runs, then the spec's size and a link to download it as stat.json.
 */
export function CsvStatSpecField({
  file,
  state,
  onPick,
}: {
  file: File | null;
  state: BuildRkmeState;
  onPick: (file: File | null) => void;
}) {
  const { t } = useTranslation();
  const failureText = useFailureText();
  const progressText = useProgressText();
  const result = state.status === 'done' ? state.result : null;
  const href = useMemo(() => (result ? statHref(result.text) : null), [result]);

  return (
    <Stack gap="xs">
      <FileInput
        label={t('search.csv.label')}
        description={t('search.csv.help')}
        placeholder={t('search.csv.placeholder')}
        accept=".csv,.tsv,text/csv,text/tab-separated-values"
        clearable
        value={file}
        error={state.status === 'error' ? failureText(state.failure) : undefined}
        onChange={onPick}
      />
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
          {result.imputed > 0 && (
            <Text size="sm" c="dimmed">
              {t('search.csv.imputed', { count: result.imputed })}
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
