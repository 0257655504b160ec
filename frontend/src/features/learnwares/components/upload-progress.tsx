import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { UploadProgress as Progress_ } from '@/lib/api/upload';
import { formatBytes } from '@/utils/format';

export function UploadProgress({ progress }: { progress: Progress_ | null }) {
  const { t } = useTranslation();
  const percent = progress && progress.total > 0 ? (progress.loaded / progress.total) * 100 : 0;
  return (
    <Stack gap={4}>
      <Text size="sm">
        {progress
          ? t('submit.uploading', {
              loaded: formatBytes(progress.loaded),
              total: formatBytes(progress.total),
            })
          : t('submit.uploadStarting')}
      </Text>
      <Progress value={percent} animated aria-label={t('submit.uploadProgress')} />
    </Stack>
  );
}
