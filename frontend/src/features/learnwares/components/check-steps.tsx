import { Badge, Code, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { formatDuration } from '@/utils/format';

import type { CheckStep } from '../api/get-version';
import { PickleScanFindings } from './pickle-scan-findings';

const COLORS: Record<CheckStep['status'], string> = {
  pending: 'gray',
  running: 'blue',
  passed: 'teal',
  failed: 'red',
  skipped: 'gray',
};

/** The check steps the dock runs (learnware_core.checks.CHECK_STEPS), by translation key. */
const STEP_NAMES = {
  format: 'format',
  pickle_scan: 'pickle_scan',
  semantic: 'semantic',
  statistical: 'statistical',
  environment: 'environment',
  model_loads: 'model_loads',
  model_predicts: 'model_predicts',
  sensitive_words: 'sensitive_words',
} as const;
const isKnownStep = (name: string): name is keyof typeof STEP_NAMES => name in STEP_NAMES;

/**
 * The check report: each step with its status, duration and message, the pickle scan's
 * findings as a table; the log folds away.
 */
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
  const label = (name: string) =>
    isKnownStep(name) ? t(`checks.steps.${STEP_NAMES[name]}`) : name;
  return (
    <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
      {ordered.map((step) => (
        <Paper
          key={step.position}
          component="li"
          withBorder
          p="sm"
          aria-label={`${label(step.name)}: ${t(`checks.status.${step.status}`)}`}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap">
              {step.status === 'running' && <Loader size={14} aria-hidden="true" />}
              <Text fw={600} size="sm">
                {label(step.name)}
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
          {step.details.pickle_scan && <PickleScanFindings scan={step.details.pickle_scan} />}
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
