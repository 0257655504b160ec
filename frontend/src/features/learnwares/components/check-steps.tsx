import { Badge, Code, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { formatDuration } from '@/utils/format';

import type { CheckStep } from '../api/get-version';

const COLORS: Record<CheckStep['status'], string> = {
  pending: 'gray',
  running: 'blue',
  passed: 'teal',
  failed: 'red',
  skipped: 'gray',
};

/** The check report: each step with its status, duration and message; the log folds away. */
export function CheckSteps({ steps }: { steps: CheckStep[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('checks.noSteps')}
      </Text>
    );
  }
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  return (
    <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
      {ordered.map((step) => (
        <Paper
          key={step.position}
          component="li"
          withBorder
          p="sm"
          aria-label={`${step.name}: ${t(`checks.status.${step.status}`)}`}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap">
              {step.status === 'running' && <Loader size={14} aria-hidden="true" />}
              <Text fw={600} size="sm">
                {step.name}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              {step.duration_s !== null && (
                <Text size="xs" c="dimmed">
                  {formatDuration(step.duration_s)}
                </Text>
              )}
              <Badge color={COLORS[step.status]} variant="light">
                {t(`checks.status.${step.status}`)}
              </Badge>
            </Group>
          </Group>
          {step.message && (
            <Text size="sm" mt={4} c={step.status === 'failed' ? 'red' : undefined}>
              {step.message}
            </Text>
          )}
          {step.log && (
            <details>
              <summary>
                <Text span size="xs" c="dimmed">
                  {t('checks.log')}
                </Text>
              </summary>
              <Code block mt={4} style={{ maxHeight: 320, overflow: 'auto' }}>
                {step.log}
              </Code>
            </details>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
