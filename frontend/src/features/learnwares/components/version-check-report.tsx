import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { formatDateTime } from '@/utils/format';

import { useVersion } from '../api/get-version';
import { CheckSteps } from './check-steps';
import { VersionStatusBadge } from './version-status-badge';

/** A version's status and check report, polled live while its checks run. */
export function VersionCheckReport({ versionId }: { versionId: number }) {
  const { t } = useTranslation();
  const version = useVersion(versionId);

  if (version.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (version.isError) {
    return (
      <Alert color="red" role="alert">
        {version.error.message}
      </Alert>
    );
  }
  const v = version.data;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('learnware.versionN', { number: v.number })}
        </Text>
        <VersionStatusBadge status={v.status} />
        {v.checked_at && (
          <Text size="xs" c="dimmed">
            {t('checks.checkedAt', { when: formatDateTime(v.checked_at) })}
          </Text>
        )}
      </Group>
      {v.failure_reason && (
        <Alert color="red" title={t('checks.failureReason')}>
          {v.failure_reason}
        </Alert>
      )}
      {v.review_reason && (
        <Alert color={v.status === 'rejected' ? 'orange' : 'gray'} title={t('checks.reviewReason')}>
          {v.review_reason}
        </Alert>
      )}
      <CheckSteps steps={v.check_steps} />
    </Stack>
  );
}
