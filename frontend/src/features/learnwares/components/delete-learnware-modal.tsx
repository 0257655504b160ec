import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useDeleteLearnware } from '../api/delete-learnware';
import type { Learnware } from '../api/get-learnwares';

export function DeleteLearnwareModal({
  learnware,
  opened,
  onClose,
  onDeleted,
}: {
  learnware: Learnware;
  opened: boolean;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteLearnware();
  return (
    <Modal opened={opened} onClose={onClose} title={t('learnware.delete.title')}>
      <Stack>
        <Text size="sm">{t('learnware.delete.body', { name: learnware.name })}</Text>
        {remove.isError && (
          <Alert color="red" role="alert">
            {remove.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => {
              remove.mutate(learnware.id, { onSuccess: onDeleted });
            }}
          >
            {t('learnware.delete.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
