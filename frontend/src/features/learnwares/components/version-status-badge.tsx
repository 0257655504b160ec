import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { VersionStatus } from '../api/get-versions';

const COLORS: Record<VersionStatus, string> = {
  queued: 'gray',
  checking: 'blue',
  check_failed: 'red',
  awaiting_review: 'yellow',
  approved: 'teal',
  rejected: 'orange',
};

export function VersionStatusBadge({ status }: { status: VersionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light">
      {t(`versionStatus.${status}`)}
    </Badge>
  );
}
