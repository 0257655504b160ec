import { Alert, Badge, Card, Group, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { formatLatency } from '@/utils/format';

import { useApiRoot } from '../api/get-api-root';
import { type Health, type HealthCheck, useHealth } from '../api/get-health';

const CHECKS = [
  { key: 'database', label: 'dockStatus.database' },
  { key: 'broker', label: 'dockStatus.broker' },
  { key: 'worker', label: 'dockStatus.worker' },
] as const satisfies readonly { key: keyof Health['checks']; label: string }[];

function CheckTile({ label, check }: { label: string; check: HealthCheck }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <Paper withBorder p="sm" role="group" aria-labelledby={titleId}>
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Text id={titleId} fw={600}>
          {label}
        </Text>
        <Badge color={check.ok ? 'teal' : 'red'} variant="light">
          {check.ok ? t('dockStatus.healthy') : t('dockStatus.unavailable')}
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
  const { t } = useTranslation();
  const apiRoot = useApiRoot();
  if (apiRoot.isPending) {
    return (
      <Text size="sm">{t('dockStatus.apiVersion', { version: t('dockStatus.checking') })}</Text>
    );
  }
  if (apiRoot.isError) {
    return (
      <Text size="sm">{t('dockStatus.apiVersion', { version: t('dockStatus.unavailable') })}</Text>
    );
  }
  return (
    <Text size="sm">
      {t('dockStatus.apiVersionLabel')} <strong>{apiRoot.data.version}</strong>
    </Text>
  );
}

export function DockStatusCard() {
  const { t } = useTranslation();
  const titleId = useId();
  const health = useHealth();

  let summary = null;
  let body;
  if (health.isPending) {
    body = (
      <SimpleGrid
        cols={{ base: 1, sm: 3 }}
        role="status"
        aria-busy="true"
        aria-label={t('dockStatus.checkingDock')}
      >
        {CHECKS.map(({ key }) => (
          <Skeleton key={key} height={92} />
        ))}
      </SimpleGrid>
    );
  } else if (health.isError) {
    body = (
      <Alert color="red" title={t('dockStatus.unreachable')}>
        {health.error.message}
      </Alert>
    );
  } else {
    const ok = health.data.status === 'ok';
    summary = (
      <Badge color={ok ? 'teal' : 'red'} size="lg">
        {ok ? t('dockStatus.allHealthy') : t('dockStatus.degraded')}
      </Badge>
    );
    body = (
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {CHECKS.map(({ key, label }) => (
          <CheckTile key={key} label={t(label)} check={health.data.checks[key]} />
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Card component="section" withBorder padding="lg" aria-labelledby={titleId}>
      <Group justify="space-between" mb="md">
        <Title order={2} size="h3" id={titleId}>
          {t('dockStatus.title')}
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
