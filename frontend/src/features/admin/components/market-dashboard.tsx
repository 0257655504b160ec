import {
  Alert,
  Card,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type ReactElement, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { type MarketDay, useMarketStats } from '../api/get-market-stats';

const PERIODS = ['7', '30', '90', '365'] as const;
const DATA_TYPES = ['Table', 'Image', 'Text'] as const;
const color = (name: string) => `var(--mantine-color-${name}-6)`;
const TYPE_COLORS = { Table: color('blue'), Image: color('grape'), Text: color('teal') };
const REVIEW_SERIES = [
  ['submitted', color('gray')],
  ['approved', color('teal')],
  ['rejected', color('orange')],
  ['check_failed', color('red')],
] as const;
const USAGE_SERIES = [
  ['searches', color('blue')],
  ['downloads', color('grape')],
] as const;

type Series = { key: string; label: string; color: string; value: (day: MarketDay) => number };

/** `2026-11-27` → `11-27` for the axis. */
const shortDate = (iso: string) => iso.slice(5);

/**
 * A chart with a title and, for screen readers, the same numbers as a table (the drawing is
 * hidden from them, so recharts' keyboard layer is off: nothing focusable inside it).
 */
function ChartFigure({
  title,
  days,
  series,
  chart,
}: {
  title: string;
  days: MarketDay[];
  series: Series[];
  chart: ReactElement;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Card withBorder component="figure" m={0} aria-labelledby={id}>
      <Text component="figcaption" id={id} fw={600} mb="sm">
        {title}
      </Text>
      <div aria-hidden style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer width="100%" height="100%">
          {chart}
        </ResponsiveContainer>
      </div>
      <VisuallyHidden>
        <Table aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.date')}</Table.Th>
              {series.map((s) => (
                <Table.Th key={s.key}>{s.label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((day) => (
              <Table.Tr key={day.date}>
                <Table.Td>{day.date}</Table.Td>
                {series.map((s) => (
                  <Table.Td key={s.key}>{s.value(day)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Card withBorder padding="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" aria-hidden>
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value.toLocaleString()}
      </Text>
    </Card>
  );
}

/** Grid, axes, tooltip and legend shared by the charts (an array: charts look at their
 * direct children). */
const axes = () => [
  <CartesianGrid key="grid" strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" />,
  <XAxis key="x" dataKey="date" tickFormatter={shortDate} fontSize={12} minTickGap={16} />,
  <YAxis key="y" allowDecimals={false} fontSize={12} width={40} />,
  <Tooltip
    key="tooltip"
    contentStyle={{
      background: 'var(--mantine-color-body)',
      borderColor: 'var(--mantine-color-default-border)',
    }}
  />,
  <Legend key="legend" itemSorter={null} />,
];

/** The market at a glance: totals, listings by data type, review outcomes, usage. */
export function MarketDashboard() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('30');
  const stats = useMarketStats(Number(period));

  if (stats.isPending) return <Loader aria-label={t('common.loading')} />;
  if (stats.isError) {
    return (
      <Alert color="red" role="alert">
        {stats.error.message}
      </Alert>
    );
  }
  const { totals, by_status: byStatus, daily } = stats.data;
  const listed: Series[] = DATA_TYPES.map((type) => ({
    key: type,
    label: type, // vocabulary values are shown as they are, like the tags
    color: TYPE_COLORS[type],
    value: (day) => day.listed[type] ?? 0,
  }));
  const flat = daily.map((day) => ({ ...day, ...day.listed }));
  const reviews: Series[] = REVIEW_SERIES.map(([key, c]) => ({
    key,
    label: t(`dashboard.series.${key}`),
    color: c,
    value: (day) => day[key],
  }));
  const usage: Series[] = USAGE_SERIES.map(([key, c]) => ({
    key,
    label: t(`dashboard.series.${key}`),
    color: c,
    value: (day) => day[key],
  }));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('dashboard.title')}
        </Title>
        <SegmentedControl
          aria-label={t('dashboard.period')}
          value={period}
          onChange={(value) => {
            setPeriod(PERIODS.find((p) => p === value) ?? '30');
          }}
          data={PERIODS.map((p) => ({ value: p, label: t('dashboard.days', { count: +p }) }))}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
        <Figure label={t('dashboard.totals.learnwares')} value={totals.learnwares} />
        <Figure label={t('dashboard.totals.awaitingReview')} value={totals.awaiting_review} />
        <Figure label={t('dashboard.totals.users')} value={totals.users} />
        <Figure label={t('dashboard.totals.downloads')} value={totals.downloads} />
        <Figure label={t('dashboard.totals.searches')} value={totals.searches} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ChartFigure
          title={t('dashboard.charts.listed')}
          days={daily}
          series={listed}
          chart={
            <AreaChart data={flat} accessibilityLayer={false}>
              {axes()}
              {listed.map((s) => (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stackId="types"
                  stroke={s.color}
                  fill={s.color}
                  fillOpacity={0.3}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          }
        />
        <ChartFigure
          title={t('dashboard.charts.reviews')}
          days={daily}
          series={reviews}
          chart={
            <BarChart data={daily} accessibilityLayer={false}>
              {axes()}
              {reviews.map((s) => (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  fill={s.color}
                  // Uploads in one bar, what became of them stacked in the next.
                  stackId={s.key === 'submitted' ? 'in' : 'out'}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          }
        />
        <ChartFigure
          title={t('dashboard.charts.usage')}
          days={daily}
          series={usage}
          chart={
            <LineChart data={daily} accessibilityLayer={false}>
              {axes()}
              {usage.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  dot={false}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          }
        />
        <Card withBorder>
          <Table aria-label={t('dashboard.charts.versions')} captionSide="top">
            <Table.Caption>{t('dashboard.charts.versions')}</Table.Caption>
            <Table.Tbody>
              {Object.entries(byStatus).map(([status, count]) => (
                <Table.Tr key={status}>
                  <Table.Td>{t(`versionStatus.${status}`, { defaultValue: status })}</Table.Td>
                  <Table.Td ta="right">{count.toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
