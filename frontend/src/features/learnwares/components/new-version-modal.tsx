import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { asSemanticSpec, type DataType, isDataType, specValues } from '@/config/semantic';
import type { UploadProgress as Progress } from '@/lib/api/upload';

import { useCreateVersion } from '../api/create-version';
import type { Learnware } from '../api/get-learnwares';
import { type PackageState, PackageField } from './package-field';
import { UploadProgress } from './upload-progress';

export function NewVersionModal({
  learnware,
  opened,
  onClose,
  onUploaded,
}: {
  learnware: Learnware;
  opened: boolean;
  onClose: () => void;
  onUploaded: (versionId: number) => void;
}) {
  const { t } = useTranslation();
  const spec = asSemanticSpec(learnware.semantic_spec);
  const data = specValues(spec.Data)[0];
  const dataType: DataType = isDataType(data) ? data : 'Table';
  const create = useCreateVersion(learnware.id);
  const [pkg, setPkg] = useState<PackageState>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  const upload = () => {
    if (!pkg) return;
    create.mutate(
      { file: pkg.file, onProgress: setProgress },
      {
        onSuccess: (version) => {
          onUploaded(version.id);
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('learnware.newVersion.title')} size="lg">
      <Stack>
        <Text size="sm">{t('learnware.newVersion.intro')}</Text>
        <PackageField
          dataType={dataType}
          inputDimension={spec.Input?.Dimension}
          onChange={setPkg}
        />
        {create.isPending && <UploadProgress progress={progress} />}
        {create.isError && (
          <Alert color="red" role="alert">
            {create.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={upload} disabled={!pkg} loading={create.isPending}>
            {t('learnware.newVersion.upload')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
