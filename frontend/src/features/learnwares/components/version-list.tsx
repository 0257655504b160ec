import { Alert, Anchor, Button, Group, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { downloadUrls } from '@/config/paths';
import { formatBytes, formatDateTime } from '@/utils/format';

import { type Version, useVersions } from '../api/get-versions';
import { useRecheckVersion } from '../api/recheck-version';
import { VersionStatusBadge } from './version-status-badge';

const RECHECKABLE: Version['status'][] = ['check_failed', 'awaiting_review', 'rejected'];

export function VersionList({
  learnwareId,
  canManage,
  selected,
  onSelect,
}: {
  learnwareId: number;
  canManage: boolean;
  selected: number | null;
  onSelect: (versionId: number) => void;
}) {
  const { t } = useTranslation();
  const versions = useVersions(learnwareId);
  const recheck = useRecheckVersion();

  if (versions.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (versions.isError) {
    return (
      <Alert color="red" role="alert">
        {versions.error.message}
      </Alert>
    );
  }
  if (versions.data.length === 0) return <Text size="sm">{t('learnware.noVersions')}</Text>;

  return (
    <>
      {recheck.isError && (
        <Alert color="red" role="alert" mb="xs">
          {recheck.error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={t('learnware.versions')} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('learnware.version')}</Table.Th>
              <Table.Th>{t('learnware.status')}</Table.Th>
              <Table.Th>{t('learnware.uploaded')}</Table.Th>
              <Table.Th>{t('learnware.size')}</Table.Th>
              <Table.Th>{t('learnware.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...versions.data]
              .sort((a, b) => b.number - a.number)
              .map((version) => (
                <Table.Tr
                  key={version.id}
                  bg={selected === version.id ? 'var(--mantine-color-default-hover)' : undefined}
                >
                  <Table.Td>{version.number}</Table.Td>
                  <Table.Td>
                    <VersionStatusBadge status={version.status} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(version.created_at)}</Table.Td>
                  <Table.Td>{formatBytes(version.package_size)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-pressed={selected === version.id}
                        onClick={() => {
                          onSelect(version.id);
                        }}
                      >
                        {t('learnware.showReport')}
                      </Button>
                      <Anchor
                        href={downloadUrls.version(version.id)}
                        size="xs"
                        aria-label={t('learnware.downloadVersion', { number: version.number })}
                      >
                        {t('learnware.download')}
                      </Anchor>
                      {canManage && RECHECKABLE.includes(version.status) && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          loading={recheck.isPending && recheck.variables === version.id}
                          onClick={() => {
                            recheck.mutate(version.id, {
                              onSuccess: () => {
                                onSelect(version.id);
                              },
                            });
                          }}
                        >
                          {t('learnware.recheck')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
