import { Alert, Anchor, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import { useVersion } from '../api/get-version';
import { isInProgress } from '../api/get-versions';
import { CheckSteps } from './check-steps';
import { VersionStatusBadge } from './version-status-badge';

/** After an upload: the live check steps, then a clear pass or fail. */
export function SubmissionStatus({
  learnwareId,
  versionId,
}: {
  learnwareId: number;
  versionId: number;
}) {
  const { t } = useTranslation();
  const version = useVersion(versionId);
  const link = (
    <Anchor component={Link} to={paths.learnware.to(learnwareId)}>
      {t('submit.result.open')}
    </Anchor>
  );

  if (version.isPending) return <Loader aria-label={t('common.loading')} />;
  if (version.isError) {
    return (
      <Alert color="red" role="alert">
        {version.error.message}
      </Alert>
    );
  }
  const v = version.data;
  const running = isInProgress(v.status);

  return (
    <Stack>
      <Group gap="xs">
        <Title order={2} size="h3">
          {running ? t('submit.result.checking') : t('submit.result.checked')}
        </Title>
        <VersionStatusBadge status={v.status} />
        {running && <Loader size="sm" aria-hidden="true" />}
      </Group>
      {(v.status === 'awaiting_review' || v.status === 'approved') && (
        <Alert color="teal" title={t('submit.result.passedTitle')} role="status">
          <Stack gap={4}>
            <Text size="sm">
              {v.status === 'approved'
                ? t('submit.result.approvedBody')
                : t('submit.result.passedBody')}
            </Text>
            {link}
          </Stack>
        </Alert>
      )}
      {(v.status === 'check_failed' || v.status === 'rejected') && (
        <Alert color="red" title={t('submit.result.failedTitle')} role="alert">
          <Stack gap={4}>
            {v.failure_reason && <Text size="sm">{v.failure_reason}</Text>}
            <Text size="sm">{t('submit.result.failedBody')}</Text>
            {link}
          </Stack>
        </Alert>
      )}
      <section aria-label={t('checks.title')}>
        <CheckSteps steps={v.check_steps} />
      </section>
    </Stack>
  );
}
