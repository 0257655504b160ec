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
  Tooltip,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api/errors';

import { useSemanticVocabulary } from '../api/get-semantic-vocabulary';
import {
  columnsInput,
  headerInput,
  inputDescriptions,
  type SearchHit,
  type SearchMultiple,
  type SearchResult,
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

/**
 * A confidence in [0, 1] (the estimated chance that the learnware was built on data like the
 * user's) as a bar, under a caption whose tooltip says what it means.
 */
function ConfidenceBar({ confidence, label }: { confidence: number; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Tooltip label={t('search.confidence.help')} multiline w={260} withArrow>
        <Text
          size="xs"
          c="dimmed"
          tabIndex={0}
          style={{ alignSelf: 'flex-start', textDecoration: 'underline dotted', cursor: 'help' }}
        >
          {t('search.confidence.title')}
        </Text>
      </Tooltip>
      <Group gap="xs" wrap="nowrap">
        <Progress.Root size="lg" style={{ flex: 1 }}>
          <Progress.Section
            value={Math.max(0, Math.min(1, confidence)) * 100}
            color="teal"
            aria-label={label}
            title={t('search.confidence.help')}
          />
        </Progress.Root>
        <Text size="sm" fw={600} w={56} ta="right">
          {percent(confidence)}
        </Text>
      </Group>
    </Stack>
  );
}

/** "Why a result may be weak" as the dock says it, without its "no good match:" lead. */
const reasonText = (reason: string) => {
  const text = reason.replace(/^no good match\s*[:;,.-]?\s*/i, '');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : reason;
};

function HitCard({ hit, sharedReason }: { hit: SearchHit; sharedReason: string | null }) {
  const { t } = useTranslation();
  const { learnware } = hit;
  // Defaults: an older dock's answer has none of these.
  const confidence = hit.confidence ?? null;
  const missing = hit.missing_columns ?? [];
  const names = inputDescriptions(learnware.semantic_spec);
  const missingNames = missing.map((index) => {
    const name = names[String(index)];
    return typeof name === 'string' && name.trim()
      ? `“${name.trim()}”`
      : t('search.missingColumn', { column: index + 1 });
  });
  return (
    <Card withBorder padding="md" component="article" aria-label={learnware.name}>
      <Stack gap="xs">
        <Anchor component={Link} to={paths.learnware.to(learnware.id)} fw={600} size="lg">
          {learnware.name}
        </Anchor>
        <LearnwareTags learnware={learnware} />
        {confidence !== null ? (
          <ConfidenceBar
            confidence={confidence}
            label={t('search.confidence.of', { name: learnware.name })}
          />
        ) : (
          hit.score !== null && (
            <ScoreBar score={hit.score} label={t('search.scoreOf', { name: learnware.name })} />
          )
        )}
        {hit.reason && hit.reason !== sharedReason && (
          <Text size="sm" c="dimmed">
            {reasonText(hit.reason)}
          </Text>
        )}
        {missing.length > 0 && (
          <Text size="sm" c="orange.8">
            {t('search.missingColumns', {
              count: missing.length,
              columns: missingNames.join(', '),
            })}
          </Text>
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
        {multiple.confidence !== null && multiple.confidence !== undefined ? (
          <ConfidenceBar
            confidence={multiple.confidence}
            label={t('search.confidence.combination')}
          />
        ) : (
          <ScoreBar score={multiple.score} label={t('search.multiple.score')} />
        )}
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

const FIELD_LABELS = ['stat_spec', 'input', 'output', 'hetero'] as const;
type LabelledField = (typeof FIELD_LABELS)[number];
const isLabelledField = (field: string): field is LabelledField =>
  (FIELD_LABELS as readonly string[]).includes(field);

/**
 * A refused or failed search. A 400's `message` repeats its `extra.fields` (`"stat_spec: ..."`),
 * so each problem is said once: by field, in words, or next to the field that shows it
 * (`inline`); the message only when no field is named.
 */
function SearchError({ error, inline }: { error: Error; inline: readonly string[] }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 503) {
    return (
      <Alert color="orange" role="alert" title={t('search.unavailableTitle')}>
        {t('search.unavailable')}
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 400) {
    const fields = Object.entries(error.fields).filter(([, problems]) => problems.length > 0);
    const listed = fields.filter(([field]) => !inline.includes(field));
    const fieldLabel = (field: string) =>
      isLabelledField(field)
        ? t(`search.fieldProblems.${field}`)
        : t('search.fieldProblems.other', { field });
    return (
      <Alert color="red" role="alert" title={t('search.refused')}>
        {fields.length === 0 ? (
          <Text size="sm">{error.message}</Text>
        ) : listed.length === 0 ? (
          <Text size="sm">{t('search.seeField')}</Text>
        ) : (
          <List size="sm">
            {listed.flatMap(([field, problems]) =>
              problems.map((problem) => (
                <List.Item key={`${field}:${problem}`}>
                  {fieldLabel(field)}: {problem}
                </List.Item>
              )),
            )}
          </List>
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

/**
 * The dock's answer. "No good match" is an answer: said with its reason, and no statistical
 * result or combination is listed. Otherwise a reason the results may be weak comes first.
 */
function SearchAnswer({
  answer,
  signedIn,
}: {
  answer: SearchResult;
  signedIn: boolean | undefined;
}) {
  const { t } = useTranslation();
  const noMatch = answer.no_match === true;
  const reason = answer.reason ?? null;
  const worldTitle = (version: string | null | undefined) =>
    version ? t('search.world.title', { version }) : t('search.world.titleNoVersion');
  // With no good match, only text matches (no statistical part) are still shown.
  const results = noMatch
    ? answer.results.filter((hit) => hit.mmd2 === null && (hit.confidence ?? null) === null)
    : answer.results;
  return (
    <Stack>
      {noMatch && (
        <Alert color="yellow" role="status" title={t('search.noMatch.title')}>
          <Text size="sm">{reason ? reasonText(reason) : t('search.noMatch.body')}</Text>
        </Alert>
      )}
      {answer.heterogeneous && !noMatch && (
        <Alert color="grape" role="status" title={worldTitle(answer.engine_version)}>
          {t('search.world.body')}
        </Alert>
      )}
      {!noMatch && reason && (
        <Alert color="yellow" variant="light" role="status" title={t('search.weak')}>
          <Text size="sm">{reasonText(reason)}</Text>
        </Alert>
      )}
      {answer.multiple && !noMatch && (
        <MultipleResult multiple={answer.multiple} signedIn={signedIn} />
      )}
      {(!noMatch || results.length > 0) && (
        <>
          <Text size="sm" c="dimmed" role="status">
            {t('search.count', { count: noMatch ? results.length : answer.count })}
          </Text>
          {results.length === 0 ? (
            <Text>{t('browse.empty')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {results.map((hit) => (
                <HitCard key={hit.learnware.id} hit={hit} sharedReason={reason} />
              ))}
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
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
  // A CSV's header names its columns: unless the user describes them, it is sent as the
  // descriptions, so that the dock can locate the learnwares whose columns mean the same.
  const csvHeader =
    statSource === 'csv' && csv.state.status === 'done' ? csv.state.result.header : null;
  const headerColumns = headerInput(csvHeader);
  const input = hasTableStat ? (columnsInput(columns.descriptions) ?? headerColumns) : null;
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
              onPick={(file, dataType, described) => {
                setFilters((current) => ({ ...current, dataType }));
                setColumns((current) => ({ ...current, descriptions: described }));
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
              header={headerColumns ? csvHeader : null}
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
      {search.isError && (
        <SearchError error={search.error} inline={hasTableStat ? ['input'] : []} />
      )}
      {search.data && <SearchAnswer answer={search.data} signedIn={signedIn} />}
    </Stack>
  );
}
