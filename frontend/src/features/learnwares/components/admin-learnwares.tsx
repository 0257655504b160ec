import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { Pager } from '@/components/ui/pager';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/utils/format';

import { useAdminLearnwares } from '../api/get-admin-learnwares';
import type { LearnwareState, MyLearnware } from '../api/get-my-learnwares';
import { useRecheckVersion } from '../api/recheck-version';
import { DeleteLearnwareModal } from './delete-learnware-modal';
import { VersionStatusBadge } from './version-status-badge';

const PAGE_SIZE = 20;
const STATES = ['all', 'live', 'in_progress', 'attention'] as const;
const DATA_TYPES = ['Table', 'Image', 'Text'] as const;
const RECHECKABLE = new Set(['check_failed', 'rejected', 'awaiting_review']);

function LearnwareRow({ learnware }: { learnware: MyLearnware }) {
  const { t } = useTranslation();
  const recheck = useRecheckVersion();
  const [deleting, setDeleting] = useState(false);
  const latest = learnware.latest_version;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={paths.learnware.to(learnware.id)} size="sm">
          {learnware.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {learnware.owner.display_name}
        </Text>
        {recheck.isError && (
          <Text size="xs" c="red" role="alert">
            {recheck.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{learnware.data_type}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="xs" c="dimmed">
            v{latest.number}
          </Text>
          <VersionStatusBadge status={latest.status} />
        </Group>
      </Table.Td>
      <Table.Td ta="right">{learnware.downloads}</Table.Td>
      <Table.Td>{formatDateTime(learnware.created_at)}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {RECHECKABLE.has(latest.status) && (
            <Button
              size="compact-xs"
              variant="light"
              loading={recheck.isPending}
              aria-label={t('adminLearnwares.recheckOf', { name: learnware.name })}
              onClick={() => {
                recheck.mutate(latest.id);
              }}
            >
              {t('adminLearnwares.recheck')}
            </Button>
          )}
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            aria-label={t('adminLearnwares.deleteOf', { name: learnware.name })}
            onClick={() => {
              setDeleting(true);
            }}
          >
            {t('adminLearnwares.delete')}
          </Button>
        </Group>
        <DeleteLearnwareModal
          learnware={learnware}
          opened={deleting}
          onClose={() => {
            setDeleting(false);
          }}
          onDeleted={() => {
            setDeleting(false);
          }}
        />
      </Table.Td>
    </Table.Tr>
  );
}

/** Every learnware in any status, for reviewers and admins to find and act on. */
export function AdminLearnwares() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 300);
  const [state, setState] = useState<(typeof STATES)[number]>('all');
  const [dataType, setDataType] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const type = DATA_TYPES.find((d) => d === dataType);
  const chosenState: LearnwareState | undefined = state === 'all' ? undefined : state;
  const learnwares = useAdminLearnwares({
    page,
    page_size: PAGE_SIZE,
    ...(debounced ? { q: debounced } : {}),
    ...(chosenState ? { state: chosenState } : {}),
    ...(type ? { data_type: type } : {}),
  });

  return (
    <Stack>
      <Group align="flex-end">
        <TextInput
          label={t('adminLearnwares.search')}
          placeholder={t('adminLearnwares.searchPlaceholder')}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setPage(1);
          }}
        />
        <Select
          label={t('semantic.data')}
          placeholder={t('browse.any')}
          data={[...DATA_TYPES]}
          value={dataType}
          clearable
          onChange={(value) => {
            setDataType(value);
            setPage(1);
          }}
        />
        <SegmentedControl
          aria-label={t('adminLearnwares.state')}
          value={state}
          onChange={(value) => {
            setState(STATES.find((s) => s === value) ?? 'all');
            setPage(1);
          }}
          data={STATES.map((s) => ({ value: s, label: t(`adminLearnwares.states.${s}`) }))}
        />
      </Group>
      {learnwares.isPending && <Loader aria-label={t('common.loading')} />}
      {learnwares.isError && (
        <Alert color="red" role="alert">
          {learnwares.error.message}
        </Alert>
      )}
      {learnwares.data && (
        <>
          <Text size="sm" c="dimmed" role="status">
            {t('adminLearnwares.count', { count: learnwares.data.count })}
          </Text>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={t('adminLearnwares.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('adminLearnwares.learnware')}</Table.Th>
                  <Table.Th>{t('semantic.data')}</Table.Th>
                  <Table.Th>{t('adminLearnwares.latest')}</Table.Th>
                  <Table.Th ta="right">{t('adminLearnwares.downloads')}</Table.Th>
                  <Table.Th>{t('adminLearnwares.created')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('adminLearnwares.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {learnwares.data.results.map((learnware) => (
                  <LearnwareRow key={learnware.id} learnware={learnware} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            count={learnwares.data.count}
            pageSize={PAGE_SIZE}
            page={page}
            onChange={setPage}
          />
        </>
      )}
    </Stack>
  );
}
