import { Alert, Badge, List, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { components } from '@/lib/api/schema';

export type PickleScan = components['schemas']['PickleScanOutput'];
type Severity = components['schemas']['SeverityEnum'];

const SEVERITY_COLORS: Record<Severity, string> = {
  dangerous: 'red',
  suspicious: 'orange',
  innocuous: 'gray',
};

/**
 * The pickle scan's findings for reviewers: the files that could not be scanned, then one
 * row per global a pickle imports (file, global, severity), dangerous ones first and
 * highlighted.
 */
export function PickleScanFindings({ scan }: { scan: PickleScan }) {
  const { t } = useTranslation();
  const unscanned = scan.files.filter((file) => file.error);
  if (scan.files.length === 0) return null;
  return (
    <Stack gap={6} mt="xs">
      {unscanned.length > 0 && (
        <Alert color="red" p="xs" title={t('checks.pickle.unscanned')}>
          <List size="sm">
            {unscanned.map((file) => (
              <List.Item key={file.file}>
                <Text span ff="monospace" size="sm">
                  {file.file}
                </Text>
                : {file.error}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {scan.findings.length > 0 && (
        <ScrollArea.Autosize mah={320}>
          <Table withTableBorder fz="sm" verticalSpacing={4} aria-label={t('checks.pickle.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('checks.pickle.file')}</Table.Th>
                <Table.Th>{t('checks.pickle.global')}</Table.Th>
                <Table.Th>{t('checks.pickle.severity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scan.findings.map((finding) => {
                const dangerous = finding.severity === 'dangerous';
                return (
                  <Table.Tr
                    key={`${finding.file}:${finding.module}.${finding.name}`}
                    data-severity={finding.severity}
                    bg={dangerous ? 'var(--mantine-color-red-light)' : undefined}
                    c={finding.severity === 'innocuous' ? 'dimmed' : undefined}
                  >
                    <Table.Td ff="monospace">{finding.file}</Table.Td>
                    <Table.Td ff="monospace" fw={dangerous ? 700 : undefined}>
                      {finding.module}.{finding.name}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        size="sm"
                        variant={dangerous ? 'filled' : 'light'}
                        color={SEVERITY_COLORS[finding.severity]}
                      >
                        {t(`checks.pickle.severities.${finding.severity}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      <Text size="xs" c="dimmed">
        {t('checks.pickle.scanned', {
          count: scan.files.length,
          files: scan.files.map((file) => `${file.file} (${file.format})`).join(', '),
          scanner: scan.scanner,
        })}
        {scan.truncated && ` ${t('checks.pickle.truncated')}`}
      </Text>
    </Stack>
  );
}
