import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  FileInput,
  Group,
  Loader,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { asSemanticSpec, type DataType, isDataType } from '@/config/semantic';
import { ApiError } from '@/lib/api/errors';
import type { components } from '@/lib/api/schema';

import {
  type Members,
  type Prediction,
  type Reuser,
  usePredictLearnware,
  usePredictLearnwares,
} from '../api/predict-learnware';

type Learnware = components['schemas']['LearnwareOutput'];

/** Rows of the result shown in the table; the rest are counted. */
export const SHOWN_ROWS = 20;

const ACCEPT: Record<DataType, string> = {
  Table: '.csv,.tsv,text/csv',
  Text: '.txt,.jsonl,.json,text/plain',
  Image: 'image/*,.zip',
};

const cell = (value: unknown): string => {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
};

function Result({ result, classNames }: { result: Prediction; classNames: string[] }) {
  const { t } = useTranslation();
  const rows = result.predictions.slice(0, SHOWN_ROWS);
  const classes = result.probabilities?.[0]?.length ?? 0;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('tryIt.summary', {
          count: result.n_rows,
          seconds: result.timing.total_s.toFixed(2),
        })}
      </Text>
      <ScrollArea.Autosize mah={480}>
        <Table striped withTableBorder aria-label={t('tryIt.predictions')}>
          {result.n_rows > SHOWN_ROWS && (
            <Table.Caption>{t('tryIt.firstRows', { count: SHOWN_ROWS })}</Table.Caption>
          )}
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>{t('tryIt.row')}</Table.Th>
              <Table.Th>{t('tryIt.prediction')}</Table.Th>
              {Array.from({ length: classes }, (_, index) => (
                <Table.Th key={index}>
                  {t('tryIt.probability', { label: classNames[index] ?? String(index) })}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((prediction, index) => (
              <Table.Tr key={index}>
                <Table.Td>{index + 1}</Table.Td>
                <Table.Td>{cell(prediction)}</Table.Td>
                {(result.probabilities?.[index] ?? []).map((p, column) => (
                  <Table.Td key={column}>{cell(p)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** Whose fault it was: the learnware's (422), the dock's (5xx, network: try again) or
 * the input's (other 4xx). A busy or missing worker never blames the input. */
function failureTitle(error: Error): 'tryIt.unavailable' | 'tryIt.modelFailed' | 'tryIt.failed' {
  if (!(error instanceof ApiError) || error.status >= 500) return 'tryIt.unavailable';
  return error.status === 422 ? 'tryIt.modelFailed' : 'tryIt.failed';
}

function Failure({ error }: { error: Error }) {
  const { t } = useTranslation();
  const body = error instanceof ApiError ? error.body : null;
  const detail =
    typeof body === 'object' && body !== null && 'extra' in body
      ? (body as { extra: { detail?: unknown } }).extra.detail
      : undefined;
  const title = t(failureTitle(error));
  return (
    <Alert color="red" role="alert" title={title}>
      <Stack gap="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {error.message}
        </Text>
        {typeof detail === 'string' && detail && detail !== error.message && (
          <Code block aria-label={t('tryIt.details')} style={{ maxHeight: 240, overflow: 'auto' }}>
            {detail}
          </Code>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * "Try it": run an approved learnware -- or, with `members`, several of them (a multiple
 * search result) through a reuser -- on a small upload and show the predictions.
 * `learnware` gives the data type and class names (for `members`: the first one).
 * `signedIn` is undefined while the visitor's session is still being looked up.
 */
export function TryItPanel({
  learnware,
  signedIn,
  members,
}: {
  learnware: Learnware;
  signedIn: boolean | undefined;
  members?: Members;
}) {
  const { t } = useTranslation();
  const single = usePredictLearnware(learnware.id);
  const several = usePredictLearnwares(members ?? { ids: [], weights: [] });
  const predict = members ? several : single;
  const [files, setFiles] = useState<File[]>([]);
  const [reuser, setReuser] = useState<Reuser>('averaging');

  if (learnware.live_version === null) return null;
  const dataType = isDataType(learnware.data_type) ? learnware.data_type : null;
  const spec = asSemanticSpec(learnware.semantic_spec);
  const classNames =
    learnware.task_type === 'Classification'
      ? Object.entries(spec.Output?.Description ?? {})
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, name]) => name)
      : [];
  const pick = (picked: File | File[] | null) => {
    setFiles(picked === null ? [] : Array.isArray(picked) ? picked : [picked]);
    predict.reset();
  };
  const run = () => {
    if (members) several.mutate({ reuser, files });
    else single.mutate(files);
  };

  return (
    <Card
      withBorder
      component="section"
      aria-label={members ? t('tryIt.multipleTitle') : t('tryIt.title')}
    >
      <Title order={2} size="h4" mb="sm">
        {members ? t('tryIt.multipleTitle') : t('tryIt.title')}
      </Title>
      {dataType === null ? (
        <Text size="sm" c="dimmed">
          {t('tryIt.unsupported')}
        </Text>
      ) : signedIn === undefined ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : !signedIn ? (
        <Text size="sm">
          <Trans
            i18nKey="tryIt.signIn"
            components={{ login: <Anchor component={Link} to={paths.login.path} /> }}
          />
        </Text>
      ) : (
        <Stack gap="sm">
          <Text size="sm">
            {t(`tryIt.help.${dataType}`, { count: spec.Input?.Dimension ?? 0 })}
          </Text>
          {members && dataType === 'Table' && (
            <SegmentedControl
              aria-label={t('tryIt.reuser')}
              value={reuser}
              onChange={(value) => {
                setReuser(value);
                predict.reset();
              }}
              data={[
                { value: 'averaging', label: t('tryIt.reusers.averaging') },
                { value: 'job_selector', label: t('tryIt.reusers.job_selector') },
              ]}
            />
          )}
          <Group align="flex-end">
            <FileInput
              style={{ flex: 1 }}
              label={t('tryIt.file')}
              placeholder={t('tryIt.placeholder')}
              accept={ACCEPT[dataType]}
              multiple={dataType === 'Image'}
              clearable
              value={dataType === 'Image' ? files : (files[0] ?? null)}
              onChange={pick}
            />
            <Button disabled={files.length === 0} loading={predict.isPending} onClick={run}>
              {t('tryIt.run')}
            </Button>
          </Group>
          {predict.isError && <Failure error={predict.error} />}
          {predict.isSuccess && <Result result={predict.data} classNames={classNames} />}
        </Stack>
      )}
    </Card>
  );
}
