import { Alert, Badge, Card, Group, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useId } from 'react';

import { formatLatency } from '@/utils/format';

import { useApiRoot } from '../api/get-api-root';
import { type Health, type HealthCheck, useHealth } from '../api/get-health';

const CHECKS = [
  { key: 'database', label: 'Database' },
  { key: 'broker', label: 'Broker' },
  { key: 'worker', label: 'Worker' },
] as const satisfies readonly { key: keyof Health['checks']; label: string }[];

function CheckTile({ label, check }: { label: string; check: HealthCheck }) {
  const titleId = useId();
  return (
    <Paper withBorder p="sm" role="group" aria-labelledby={titleId}>
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Text id={titleId} fw={600}>
          {label}
        </Text>
        <Badge color={check.ok ? 'teal' : 'red'} variant="light">
          {check.ok ? 'healthy' : 'unavailable'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {check.detail}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {formatLatency(check.latency_ms)}
      </Text>
    </Paper>
  );
}

function ApiVersion() {
  const apiRoot = useApiRoot();
  if (apiRoot.isPending) return <Text size="sm">API version: checking…</Text>;
  if (apiRoot.isError) return <Text size="sm">API version: unavailable</Text>;
  return (
    <Text size="sm">
      API version: <strong>{apiRoot.data.version}</strong>
    </Text>
  );
}

export function DockStatusCard() {
  const titleId = useId();
  const health = useHealth();

  let summary = null;
  let body;
  if (health.isPending) {
    body = (
      <SimpleGrid cols={{ base: 1, sm: 3 }} aria-busy="true" aria-label="Checking the dock">
        {CHECKS.map(({ key }) => (
          <Skeleton key={key} height={92} />
        ))}
      </SimpleGrid>
    );
  } else if (health.isError) {
    body = (
      <Alert color="red" title="Could not reach the dock">
        {health.error.message}
      </Alert>
    );
  } else {
    const ok = health.data.status === 'ok';
    summary = (
      <Badge color={ok ? 'teal' : 'red'} size="lg">
        {ok ? 'All systems healthy' : 'Degraded'}
      </Badge>
    );
    body = (
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {CHECKS.map(({ key, label }) => (
          <CheckTile key={key} label={label} check={health.data.checks[key]} />
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Card component="section" withBorder padding="lg" aria-labelledby={titleId}>
      <Group justify="space-between" mb="md">
        <Title order={2} size="h3" id={titleId}>
          Dock status
        </Title>
        {summary}
      </Group>
      {body}
      <Group mt="md">
        <ApiVersion />
      </Group>
    </Card>
  );
}
