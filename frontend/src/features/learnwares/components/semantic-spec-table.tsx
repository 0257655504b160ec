import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { asSemanticSpec, specValues } from '@/config/semantic';

const KEYS = ['Data', 'Task', 'Library', 'Scenario', 'License', 'Model'] as const;
const LABELS = {
  Data: 'semantic.data',
  Task: 'semantic.task',
  Library: 'semantic.library',
  Scenario: 'semantic.scenario',
  License: 'semantic.license',
  Model: 'semantic.model',
} as const;

export function SemanticSpecTable({ spec }: { spec: unknown }) {
  const { t } = useTranslation();
  const parsed = asSemanticSpec(spec);
  return (
    <Table variant="vertical" withTableBorder aria-label={t('learnware.semanticSpec')}>
      <Table.Tbody>
        {KEYS.filter((key) => parsed[key] !== undefined).map((key) => (
          <Table.Tr key={key}>
            <Table.Th w={160}>{t(LABELS[key])}</Table.Th>
            <Table.Td>{specValues(parsed[key]).join(', ')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
