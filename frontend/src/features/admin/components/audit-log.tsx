import { Alert, Anchor, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/utils/format';

import { type AuditAction, type AuditEntry, useAuditLog } from '../api/get-audit-log';

const PAGE_SIZE = 25;
/** Each action's translation key (i18n keys cannot hold the dot). */
const ACTION_KEYS = {
  'learnware.approve': 'learnware_approve',
  'learnware.reject': 'learnware_reject',
  'learnware.update': 'learnware_update',
  'learnware.delete': 'learnware_delete',
  'learnware.recheck': 'learnware_recheck',
  'user.role': 'user_role',
  'user.deactivate': 'user_deactivate',
  'user.reactivate': 'user_reactivate',
  'world.train': 'world_train',
  'world.activate': 'world_activate',
} as const satisfies Record<AuditAction, string>;
const ACTIONS = Object.keys(ACTION_KEYS) as AuditAction[];
const actionKey = (action: AuditAction) => ACTION_KEYS[action];

/** The entry's details in words: a reason, a role change, a version, changed fields. */
function Detail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const d = entry.detail as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.version === 'number') parts.push(`v${d.version.toString()}`);
  if (typeof d.engine === 'string') parts.push(d.engine);
  if (typeof d.from === 'string' && typeof d.to === 'string') {
    parts.push(`${t(`roles.${d.from}`, d.from)} → ${t(`roles.${d.to}`, d.to)}`);
  }
  if (Array.isArray(d.fields) && d.fields.length > 0) parts.push(d.fields.join(', '));
  if (typeof d.reason === 'string' && d.reason) parts.push(`“${d.reason}”`);
  return <Text size="sm">{parts.join(' · ')}</Text>;
}

/** Who did what, newest first (admins). */
export function AuditLog() {
  const { t } = useTranslation();
  const [action, setAction] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const chosen = ACTIONS.find((a) => a === action);
  const log = useAuditLog({ page, page_size: PAGE_SIZE, ...(chosen ? { action: chosen } : {}) });

  return (
    <Stack>
      <Select
        label={t('audit.action')}
        placeholder={t('browse.any')}
        w={280}
        data={ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${actionKey(a)}`) }))}
        value={action}
        clearable
        onChange={(value) => {
          setAction(value);
          setPage(1);
        }}
      />
      {log.isPending && <Loader aria-label={t('common.loading')} />}
      {log.isError && (
        <Alert color="red" role="alert">
          {log.error.message}
        </Alert>
      )}
      {log.data?.count === 0 && <Text>{t('audit.empty')}</Text>}
      {log.data && log.data.count > 0 && (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={t('audit.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.when')}</Table.Th>
                  <Table.Th>{t('audit.who')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.target')}</Table.Th>
                  <Table.Th>{t('audit.detail')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.data.results.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{formatDateTime(entry.created_at)}</Table.Td>
                    <Table.Td>{entry.actor?.email ?? t('audit.system')}</Table.Td>
                    <Table.Td>{t(`audit.actions.${actionKey(entry.action)}`)}</Table.Td>
                    <Table.Td>
                      {entry.target_type === 'learnware' ? (
                        <Anchor component={Link} to={paths.learnware.to(entry.target_id)}>
                          {entry.target_label}
                        </Anchor>
                      ) : (
                        entry.target_label
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Detail entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager count={log.data.count} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
        </>
      )}
    </Stack>
  );
}
