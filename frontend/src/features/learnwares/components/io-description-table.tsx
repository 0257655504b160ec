import { ScrollArea, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { IoDescription } from '@/config/semantic';

/** An Input or Output description: one row per dimension. */
export function IoDescriptionTable({
  title,
  description,
}: {
  title: string;
  description: IoDescription | undefined;
}) {
  const { t } = useTranslation();
  if (!description) {
    return (
      <Text size="sm" c="dimmed">
        {t('learnware.noIo')}
      </Text>
    );
  }
  const rows = Array.from({ length: description.Dimension }, (_, index) => ({
    index,
    text: description.Description[String(index)] ?? '',
  }));
  return (
    <ScrollArea.Autosize mah={360}>
      <Table striped withTableBorder aria-label={title}>
        <Table.Caption>{t('learnware.dimension', { count: description.Dimension })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>{t('learnware.index')}</Table.Th>
            <Table.Th>{t('learnware.meaning')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.index}>
              <Table.Td>{row.index}</Table.Td>
              <Table.Td>{row.text || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
