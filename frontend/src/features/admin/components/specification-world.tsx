import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  ColorSwatch,
  Group,
  Loader,
  Modal,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  CartesianGrid,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api/errors';
import { formatDateTime, formatDuration } from '@/utils/format';

import { useActivateWorldVersion, type WorldActivation } from '../api/activate-world-version';
import {
  useWorldProjection,
  type WorldIsland,
  type WorldPoint,
  type WorldProjection,
} from '../api/get-world-projection';
import {
  isRunning,
  isUsable,
  useWorldVersions,
  type WorldEngineVersion,
  type WorldState,
} from '../api/get-world-versions';
import { useTrainWorldEngine } from '../api/train-world-engine';

const PAGE_SIZE = 20;
const color = (name: string) => `var(--mantine-color-${name}-6)`;
const PALETTE = [
  'blue',
  'orange',
  'teal',
  'grape',
  'red',
  'cyan',
  'lime',
  'pink',
  'violet',
  'yellow',
  'indigo',
  'green',
].map(color);
const islandColor = (index: number) => PALETTE[index % PALETTE.length] ?? color('gray');

const STATE_COLORS: Record<WorldState, string> = {
  training: 'blue',
  regenerating: 'cyan',
  ready: 'yellow',
  active: 'teal',
  failed: 'red',
  retired: 'gray',
};

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function WorldStateBadge({ state }: { state: WorldState }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLORS[state]} variant="light">
      {t(`world.states.${state}`)}
    </Badge>
  );
}

/** A running version's phase and `done` of `total`, as text and a bar. */
function RunProgress({ row }: { row: WorldEngineVersion }) {
  const { t } = useTranslation();
  const done = num(row.progress.done);
  const total = num(row.progress.total);
  const phase = row.progress.phase === 'regenerating' ? 'regenerating' : 'training';
  const known = done !== undefined && total !== undefined && total > 0;
  return (
    <Stack gap={2} mt={4} maw={180}>
      <Text size="xs" c="dimmed">
        {known ? t(`world.progress.${phase}`, { done, total }) : t('world.progress.starting')}
      </Text>
      <Progress
        size="sm"
        animated
        value={known ? (done / total) * 100 : 100}
        aria-label={t('world.progressOf', { version: row.version ?? `#${row.id.toString()}` })}
      />
    </Stack>
  );
}

function Metrics({ metrics }: { metrics: WorldEngineVersion['metrics'] }) {
  const { t } = useTranslation();
  const match = num(metrics.view_match_top1);
  const first = num(metrics.loss_first_epoch);
  const last = num(metrics.loss_last_epoch);
  const seconds = num(metrics.train_s);
  return (
    <Stack gap={0}>
      {match !== undefined && (
        <Text size="xs">{t('world.viewMatch', { value: percent(match) })}</Text>
      )}
      {first !== undefined && last !== undefined && (
        <Text size="xs">{t('world.loss', { first: first.toFixed(3), last: last.toFixed(3) })}</Text>
      )}
      {seconds !== undefined && (
        <Text size="xs">{t('world.trainTime', { value: formatDuration(seconds) })}</Text>
      )}
    </Stack>
  );
}

/** Activate a ready version, or roll back to a retired one, after a confirmation. */
function ActivateButton({
  row,
  version,
  onActivated,
}: {
  row: WorldEngineVersion;
  version: string;
  onActivated: (result: WorldActivation) => void;
}) {
  const { t } = useTranslation();
  const activate = useActivateWorldVersion();
  const [confirming, setConfirming] = useState(false);
  const rollBack = row.state === 'retired';
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        aria-label={t(rollBack ? 'world.rollBackOf' : 'world.activateOf', { version })}
        onClick={() => {
          activate.reset();
          setConfirming(true);
        }}
      >
        {t(rollBack ? 'world.rollBack' : 'world.activate')}
      </Button>
      <Modal
        opened={confirming}
        onClose={() => {
          setConfirming(false);
        }}
        title={t('world.confirmTitle', { version })}
      >
        <Stack>
          <Text size="sm">{t('world.confirmBody')}</Text>
          {activate.isError && (
            <Alert color="red" role="alert">
              {activate.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              loading={activate.isPending}
              onClick={() => {
                activate.mutate(version, {
                  onSuccess: (result) => {
                    setConfirming(false);
                    onActivated(result);
                  },
                });
              }}
            >
              {t(rollBack ? 'world.rollBack' : 'world.activate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function VersionRow({
  row,
  onActivated,
}: {
  row: WorldEngineVersion;
  onActivated: (result: WorldActivation) => void;
}) {
  const { t } = useTranslation();
  const by = (who: WorldEngineVersion['triggered_by']) =>
    who && (
      <Text size="xs" c="dimmed">
        {t('world.by', { name: who.display_name })}
      </Text>
    );
  return (
    <Table.Tr>
      <Table.Td>
        {row.version ? (
          <Code>{row.version}</Code>
        ) : (
          <Text size="xs" c="dimmed">
            {t('world.pending')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <WorldStateBadge state={row.state} />
        {isRunning(row.state) && <RunProgress row={row} />}
        {row.state === 'failed' && row.error && (
          <Text size="xs" c="red" mt={4} maw={280} style={{ overflowWrap: 'anywhere' }}>
            {row.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t(`world.triggers.${row.trigger}`)}</Text>
        {by(row.triggered_by)}
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{row.learnware_count}</Text>
        {row.candidate_count !== row.learnware_count && (
          <Text size="xs" c="dimmed">
            {t('world.ofCandidates', { count: row.candidate_count })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Metrics metrics={row.metrics} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(row.created_at)}</Text>
      </Table.Td>
      <Table.Td>
        {row.activated_at && <Text size="sm">{formatDateTime(row.activated_at)}</Text>}
        {by(row.activated_by)}
      </Table.Td>
      <Table.Td>
        {row.version && (row.state === 'ready' || row.state === 'retired') && (
          <ActivateButton row={row} version={row.version} onActivated={onActivated} />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function PointTooltip({
  active,
  payload,
  islands,
}: Partial<TooltipContentProps> & { islands: Map<string, WorldIsland> }) {
  const point = payload?.[0]?.payload as WorldPoint | undefined;
  if (!active || !point) return null;
  return (
    <Paper withBorder shadow="sm" p="xs">
      <Text size="sm" fw={600}>
        {point.name}
      </Text>
      <Text size="xs" c="dimmed">
        {islands.get(point.island)?.label ?? point.island}
      </Text>
    </Paper>
  );
}

/** The scatter of the learnwares, one colour per island, with a legend and, for screen
 * readers, the same points as a table. */
function ProjectionFigure({ projection }: { projection: WorldProjection }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = useId();
  const islands = new Map(projection.islands.map((island) => [island.key, island]));
  const [xShare = 0, yShare = 0] = projection.explained_variance;
  const axisLabel = (n: number, share: number) => t('world.axis', { n, share: percent(share) });
  return (
    <Card withBorder component="figure" m={0} aria-labelledby={id}>
      <Text component="figcaption" id={id} fw={600}>
        {t('world.map')}
      </Text>
      <Text size="xs" c="dimmed" mb="sm">
        {t('world.mapHint')}
      </Text>
      {projection.points.length === 0 ? (
        <Text size="sm">{t('world.noPoints')}</Text>
      ) : (
        <div aria-hidden style={{ width: '100%', height: 380 }}>
          <ResponsiveContainer width="100%" height="100%">
            <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 24 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" />
              <XAxis
                type="number"
                dataKey="x"
                fontSize={12}
                tickFormatter={(value: number) => value.toFixed(2)}
                label={{
                  value: axisLabel(1, xShare),
                  position: 'insideBottom',
                  offset: -16,
                  fontSize: 12,
                }}
              />
              <YAxis
                type="number"
                dataKey="y"
                fontSize={12}
                width={56}
                tickFormatter={(value: number) => value.toFixed(2)}
                label={{
                  value: axisLabel(2, yShare),
                  angle: -90,
                  position: 'insideLeft',
                  style: { textAnchor: 'middle' },
                  fontSize: 12,
                }}
              />
              <Tooltip
                cursor={{ strokeDasharray: '3 3' }}
                content={(props) => <PointTooltip {...props} islands={islands} />}
              />
              {projection.islands.map((island, index) => (
                <Scatter
                  key={island.key}
                  name={island.label}
                  data={projection.points.filter((point) => point.island === island.key)}
                  fill={islandColor(index)}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(item) => {
                    const point = item.payload as WorldPoint | undefined;
                    if (point) void navigate(paths.learnware.to(point.learnware_id));
                  }}
                />
              ))}
            </ScatterChart>
          </ResponsiveContainer>
        </div>
      )}
      <Group component="ul" aria-label={t('world.islands')} gap="md" mt="sm" p={0}>
        {projection.islands.map((island, index) => (
          <Group
            key={island.key}
            component="li"
            gap={6}
            wrap="nowrap"
            style={{ listStyle: 'none' }}
          >
            <ColorSwatch color={islandColor(index)} size={12} withShadow={false} aria-hidden />
            <Text size="sm">
              {t('world.islandEntry', { label: island.label, count: island.count })}
            </Text>
          </Group>
        ))}
      </Group>
      <VisuallyHidden>
        <Table aria-label={t('world.map')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('world.learnware')}</Table.Th>
              <Table.Th>{t('world.island')}</Table.Th>
              <Table.Th>{axisLabel(1, xShare)}</Table.Th>
              <Table.Th>{axisLabel(2, yShare)}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {projection.points.map((point) => (
              <Table.Tr key={point.learnware_id}>
                <Table.Td>{point.name}</Table.Td>
                <Table.Td>{islands.get(point.island)?.label ?? point.island}</Table.Td>
                <Table.Td>{point.x.toFixed(3)}</Table.Td>
                <Table.Td>{point.y.toFixed(3)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </Card>
  );
}

function NoEngine() {
  const { t } = useTranslation();
  return (
    // An empty state, not an error (Mantine's Alert would say `alert`).
    <Alert color="gray" title={t('world.noEngine')} role="status">
      {t('world.noEngineHint')}
    </Alert>
  );
}

/** The projection of the chosen version (default: the active one), with a version picker. */
function WorldMap({ versions, hasAny }: { versions: WorldEngineVersion[]; hasAny: boolean }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string | null>(null);
  const active = versions.find((row) => row.state === 'active')?.version ?? undefined;
  // A new active version (a training finished, a rollback) is followed unless one was picked.
  const version = chosen ?? active;
  // Without any version there is nothing to ask for (the answer would be a 404).
  const projection = useWorldProjection(version, hasAny);
  const options = versions
    .filter((row) => isUsable(row.state) && row.version)
    .map((row) => {
      const value = row.version ?? '';
      return {
        value,
        label: row.state === 'active' ? t('world.activeSuffix', { version: value }) : value,
      };
    });

  if (!hasAny) return <NoEngine />;
  const error = projection.error;
  return (
    <Stack>
      {options.length > 0 && (
        <Select
          label={t('world.version')}
          w={280}
          data={options}
          value={version ?? null}
          allowDeselect={false}
          onChange={(value) => {
            setChosen(value);
          }}
        />
      )}
      {projection.isPending && <Loader aria-label={t('common.loading')} />}
      {error instanceof ApiError && error.status === 404 && !version ? (
        <NoEngine />
      ) : (
        error && (
          <Alert
            color={error instanceof ApiError && error.status === 409 ? 'yellow' : 'red'}
            role="alert"
          >
            {error.message}
          </Alert>
        )
      )}
      {projection.data && !projection.isError && <ProjectionFigure projection={projection.data} />}
    </Stack>
  );
}

/** The specification world (admins): its map, its engine versions, training and rollback. */
export function SpecificationWorld() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const versions = useWorldVersions({ page, page_size: PAGE_SIZE });
  const train = useTrainWorldEngine();
  // The row's button is gone once its version is active: the outcome is told up here.
  const [activated, setActivated] = useState<WorldActivation | null>(null);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} maw={640}>
          <Title order={2} size="h4">
            {t('world.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('world.lead')}
          </Text>
        </Stack>
        <Button
          loading={train.isPending}
          onClick={() => {
            train.mutate();
          }}
        >
          {t('world.train')}
        </Button>
      </Group>
      {train.isError && (
        <Alert color="red" role="alert">
          {train.error.message}
        </Alert>
      )}
      {train.isSuccess && (
        <Alert color="teal" role="status">
          {t('world.trainStarted')}
        </Alert>
      )}
      {activated && (
        <Alert
          color="teal"
          role="status"
          withCloseButton
          closeButtonLabel={t('world.dismiss')}
          onClose={() => {
            setActivated(null);
          }}
        >
          {t(activated.activation_task_id ? 'world.activationQueued' : 'world.activatedNow', {
            version: activated.version ?? '',
          })}
        </Alert>
      )}
      {versions.isPending && <Loader aria-label={t('common.loading')} />}
      {versions.isError && (
        <Alert color="red" role="alert">
          {versions.error.message}
        </Alert>
      )}
      {versions.data && (
        <>
          <WorldMap versions={versions.data.results} hasAny={versions.data.count > 0} />
          <Title order={3} size="h5">
            {t('world.versions')}
          </Title>
          {versions.data.count === 0 ? (
            <Text>{t('world.empty')}</Text>
          ) : (
            <>
              <Text size="sm" c="dimmed" role="status">
                {t('world.count', { count: versions.data.count })}
              </Text>
              <Table.ScrollContainer minWidth={960}>
                <Table aria-label={t('world.versions')} verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('world.version')}</Table.Th>
                      <Table.Th>{t('world.state')}</Table.Th>
                      <Table.Th>{t('world.trigger')}</Table.Th>
                      <Table.Th ta="right">{t('world.learnwares')}</Table.Th>
                      <Table.Th>{t('world.metrics')}</Table.Th>
                      <Table.Th>{t('world.created')}</Table.Th>
                      <Table.Th>{t('world.activated')}</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>{t('world.actions')}</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {versions.data.results.map((row) => (
                      <VersionRow key={row.id} row={row} onActivated={setActivated} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager
                count={versions.data.count}
                pageSize={PAGE_SIZE}
                page={page}
                onChange={setPage}
              />
            </>
          )}
        </>
      )}
    </Stack>
  );
}
