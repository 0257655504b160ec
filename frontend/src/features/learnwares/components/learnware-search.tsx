import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  FileInput,
  Group,
  List,
  Loader,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api/errors';

import { useSemanticVocabulary } from '../api/get-semantic-vocabulary';
import {
  columnsInput,
  type SearchHit,
  type SearchMultiple,
  useSearchLearnwares,
} from '../api/search-learnwares';
import { useCsvStatSpec } from '../rkme/use-csv-stat-spec';
import { checkStatSpec, readText, type StatSpecCheck } from '../utils/stat-spec';
import {
  ColumnDescriptionsField,
  type ColumnDescriptionsValues,
} from './column-descriptions-field';
import { CsvStatSpecField } from './csv-stat-spec-field';
import { MultipleDeploy } from './deploy-snippet';
import { ExampleSpecs } from './example-specs';
import { LearnwareTags } from './learnware-tags';
import { TagFilterFields, type TagFilterValues } from './tag-filter-fields';
import { TryItPanel } from './try-it-panel';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const mmd = (value: number) => value.toPrecision(4);

/** A score in [0, 1] as a labelled bar. */
function ScoreBar({ score, label }: { score: number; label: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress.Root size="lg" style={{ flex: 1 }}>
        <Progress.Section value={Math.max(0, Math.min(1, score)) * 100} aria-label={label} />
      </Progress.Root>
      <Text size="sm" fw={600} w={56} ta="right">
        {percent(score)}
      </Text>
    </Group>
  );
}

function HitCard({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  const { learnware } = hit;
  return (
    <Card withBorder padding="md" component="article" aria-label={learnware.name}>
      <Stack gap="xs">
        <Anchor component={Link} to={paths.learnware.to(learnware.id)} fw={600} size="lg">
          {learnware.name}
        </Anchor>
        <LearnwareTags learnware={learnware} />
        {hit.score !== null && (
          <ScoreBar score={hit.score} label={t('search.scoreOf', { name: learnware.name })} />
        )}
        <Group gap="md">
          {hit.mmd2 !== null && (
            <Text size="xs" c="dimmed">
              {t('search.mmd2', { value: mmd(hit.mmd2) })}
            </Text>
          )}
          {hit.text_score !== null && (
            <Text size="xs" c="dimmed">
              {t('search.textScore', { value: percent(hit.text_score) })}
            </Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** The weighted combination: one horizontal bar per learnware, its score, MMD² and reason. */
function MultipleResult({
  multiple,
  signedIn,
}: {
  multiple: SearchMultiple;
  signedIn: boolean | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-label={t('search.multiple.title')}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('search.multiple.title')}
        </Title>
        <ScoreBar score={multiple.score} label={t('search.multiple.score')} />
        <Text size="xs" c="dimmed">
          {t('search.mmd2', { value: mmd(multiple.mmd2) })}
        </Text>
        {multiple.reason && <Text size="sm">{multiple.reason}</Text>}
        <Box component="figure" m={0} aria-label={t('search.multiple.weights')}>
          <Text component="figcaption" size="sm" fw={600} mb="xs">
            {t('search.multiple.weights')}
          </Text>
          <Stack gap={6}>
            {multiple.learnwares.map((learnware, index) => {
              const weight = multiple.weights[index] ?? 0;
              return (
                <Group key={learnware.id} gap="sm" wrap="nowrap">
                  <Anchor
                    component={Link}
                    to={paths.learnware.to(learnware.id)}
                    size="sm"
                    w={200}
                    truncate
                  >
                    {learnware.name}
                  </Anchor>
                  <Progress.Root size="xl" style={{ flex: 1 }}>
                    <Progress.Section
                      value={weight * 100}
                      color="teal"
                      aria-label={t('search.multiple.weightOf', { name: learnware.name })}
                    />
                  </Progress.Root>
                  <Text size="sm" w={56} ta="right">
                    {percent(weight)}
                  </Text>
                </Group>
              );
            })}
          </Stack>
        </Box>
        <MultipleDeploy learnwares={multiple.learnwares} weights={multiple.weights} />
        {multiple.learnwares[0] && (
          <TryItPanel
            learnware={multiple.learnwares[0]}
            signedIn={signedIn}
            members={{ ids: multiple.learnwares.map((lw) => lw.id), weights: multiple.weights }}
          />
        )}
      </Stack>
    </Paper>
  );
}

function SearchError({ error }: { error: Error }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 503) {
    return (
      <Alert color="orange" role="alert" title={t('search.unavailableTitle')}>
        {t('search.unavailable')}
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 400) {
    const statProblems = error.fields.stat_spec ?? [];
    return (
      <Alert color="red" role="alert" title={t('search.refused')}>
        <Text size="sm">{error.message}</Text>
        {statProblems.length > 0 && (
          <>
            <Text size="sm" mt="xs">
              {t('search.statSpecProblems')}
            </Text>
            <List size="sm">
              {statProblems.map((problem) => (
                <List.Item key={problem}>{problem}</List.Item>
              ))}
            </List>
          </>
        )}
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert" title={t('search.failed')}>
      {error.message}
    </Alert>
  );
}

type StatSource = 'file' | 'csv';

const TABLE_SPEC = 'RKMETableSpecification';

/**
 * Tag filters, a text query and an optional RKME (an uploaded stat.json, or one built in the
 * browser from a CSV); single and combined results.
 */
export function LearnwareSearch({ signedIn }: { signedIn?: boolean | undefined } = {}) {
  const { t } = useTranslation();
  const vocabulary = useSemanticVocabulary();
  const search = useSearchLearnwares();
  const [filters, setFilters] = useState<TagFilterValues>({
    dataType: null,
    taskType: null,
    libraryType: null,
    scenarios: [],
    license: null,
  });
  const [query, setQuery] = useState('');
  const [statFile, setStatFile] = useState<File | null>(null);
  const [stat, setStat] = useState<StatSpecCheck | null>(null);
  const [multiple, setMultiple] = useState(true);
  const [statSource, setStatSource] = useState<StatSource>('file');
  const [columns, setColumns] = useState<ColumnDescriptionsValues>({
    descriptions: '',
    hetero: false,
  });
  const csv = useCsvStatSpec();

  const pickStat = async (file: File | null) => {
    setStatFile(file);
    setStat(null);
    if (file) setStat(checkStatSpec(await readText(file)));
  };

  // The spec built from the CSV is used exactly like an uploaded stat.json.
  const csvStat = csv.state.status === 'done' ? csv.state.result.text : null;
  const statText = statSource === 'csv' ? csvStat : stat?.ok ? stat.text : null;
  const canSearch =
    statSource === 'csv' ? !(csv.file && csvStat === null) : !(statFile && !stat?.ok);
  // Column descriptions only make sense for a table spec (a CSV always gives one); its
  // dimension is shown so that the user writes one line per column.
  const tableDimension =
    statSource === 'csv'
      ? csv.state.status === 'done'
        ? csv.state.result.columns
        : undefined
      : stat?.ok && stat.summary.type === TABLE_SPEC
        ? stat.summary.dimension
        : undefined;
  const hasTableStat = tableDimension !== undefined;
  const input = hasTableStat ? columnsInput(columns.descriptions) : null;
  const inputError =
    search.error instanceof ApiError && search.error.status === 400
      ? search.error.fields.input?.join(' ')
      : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSearch) return;
    search.mutate({
      ...filters,
      query,
      statSpec: statText,
      multiple,
      input,
      hetero: input !== null && columns.hetero,
    });
  };

  const vocab = vocabulary.data;
  const worldTitle = (version: string | null | undefined) =>
    version ? t('search.world.title', { version }) : t('search.world.titleNoVersion');

  return (
    <Stack>
      <form onSubmit={submit} role="search" aria-label={t('search.form')} noValidate>
        <Stack>
          {vocabulary.isError && (
            <Alert color="red" role="alert" title={t('semantic.loadFailed')}>
              {vocabulary.error.message}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
            <TagFilterFields
              vocabulary={vocab}
              values={filters}
              onChange={(key, value) => {
                setFilters((current) => ({ ...current, [key]: value }));
              }}
            />
          </SimpleGrid>
          <TextInput
            label={t('search.query')}
            placeholder={t('search.queryPlaceholder')}
            maxLength={500}
            value={query}
            onChange={(event) => {
              setQuery(event.currentTarget.value);
            }}
          />
          <SegmentedControl
            aria-label={t('search.statSource.label')}
            value={statSource}
            onChange={(value) => {
              setStatSource(value === 'csv' ? 'csv' : 'file');
            }}
            data={[
              { value: 'file', label: t('search.statSource.file') },
              { value: 'csv', label: t('search.statSource.csv') },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
          {statSource === 'csv' ? (
            <CsvStatSpecField csv={csv} dataType={filters.dataType} />
          ) : (
            <FileInput
              label={t('search.statSpec')}
              description={t('search.statSpecHelp')}
              placeholder={t('search.statSpecPlaceholder')}
              accept=".json,application/json"
              clearable
              value={statFile}
              error={
                stat && !stat.ok
                  ? stat.problem === 'notJson'
                    ? t('search.statNotJson')
                    : t('search.statNoType')
                  : undefined
              }
              onChange={(file) => {
                void pickStat(file);
              }}
            />
          )}
          {statSource === 'file' && (
            <ExampleSpecs
              onPick={(file, dataType) => {
                setFilters((current) => ({ ...current, dataType }));
                void pickStat(file);
              }}
            />
          )}
          {statSource === 'file' && stat?.ok && (
            <Text size="sm" c="dimmed" role="status">
              {stat.summary.dimension !== null && stat.summary.points !== null
                ? t('search.statSummary', {
                    type: stat.summary.type,
                    count: stat.summary.dimension,
                    points: stat.summary.points,
                  })
                : stat.summary.type}
            </Text>
          )}
          {hasTableStat && (
            <ColumnDescriptionsField
              values={columns}
              dimension={tableDimension}
              error={inputError}
              onChange={setColumns}
            />
          )}
          <Group justify="space-between">
            <Switch
              label={t('search.multipleSwitch')}
              description={t('search.multipleHelp')}
              checked={multiple}
              onChange={(event) => {
                setMultiple(event.currentTarget.checked);
              }}
            />
            <Button type="submit" loading={search.isPending} disabled={!canSearch}>
              {t('search.submit')}
            </Button>
          </Group>
        </Stack>
      </form>

      {search.isPending && <Loader aria-label={t('search.searching')} />}
      {search.isError && <SearchError error={search.error} />}
      {search.data && (
        <Stack>
          {search.data.heterogeneous && (
            <Alert color="grape" role="status" title={worldTitle(search.data.engine_version)}>
              {t('search.world.body')}
            </Alert>
          )}
          {search.data.multiple && (
            <MultipleResult multiple={search.data.multiple} signedIn={signedIn} />
          )}
          <Text size="sm" c="dimmed" role="status">
            {t('search.count', { count: search.data.count })}
          </Text>
          {search.data.results.length === 0 ? (
            <Text>{t('browse.empty')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {search.data.results.map((hit) => (
                <HitCard key={hit.learnware.id} hit={hit} />
              ))}
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Stack>
  );
}
