import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Pager } from '@/components/ui/pager';
import { formatDateTime } from '@/utils/format';

import { useDeactivateUser } from '../api/deactivate-user';
import { type AdminUser, type Role, useUsers } from '../api/get-users';
import { useReactivateUser } from '../api/reactivate-user';
import { useSetUserRole } from '../api/set-user-role';

const PAGE_SIZE = 20;
const ROLES: Role[] = ['user', 'reviewer', 'admin'];

function UserRow({ user, isSelf }: { user: AdminUser; isSelf: boolean }) {
  const { t } = useTranslation();
  const setRole = useSetUserRole();
  const deactivate = useDeactivateUser();
  const reactivate = useReactivateUser();
  const error = setRole.error ?? deactivate.error ?? reactivate.error;

  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">{user.email}</Text>
        <Text size="xs" c="dimmed">
          {user.display_name}
        </Text>
        {error && (
          <Text size="xs" c="red" role="alert">
            {error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Select
          size="xs"
          w={130}
          aria-label={t('users.roleFor', { email: user.email })}
          data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          value={user.role}
          allowDeselect={false}
          disabled={isSelf || setRole.isPending}
          onChange={(value) => {
            const role = ROLES.find((r) => r === value);
            if (role && role !== user.role) setRole.mutate({ userId: user.id, role });
          }}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge color={user.is_active ? 'teal' : 'gray'} variant="light">
            {user.is_active ? t('users.active') : t('users.inactive')}
          </Badge>
          {!user.email_verified && (
            <Badge color="yellow" variant="light">
              {t('account.unverified')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>{formatDateTime(user.date_joined)}</Table.Td>
      <Table.Td>
        {user.is_active ? (
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            disabled={isSelf}
            loading={deactivate.isPending}
            onClick={() => {
              deactivate.mutate(user.id);
            }}
          >
            {t('users.deactivate')}
          </Button>
        ) : (
          <Button
            size="compact-xs"
            variant="light"
            loading={reactivate.isPending}
            onClick={() => {
              reactivate.mutate(user.id);
            }}
          >
            {t('users.reactivate')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function UsersTable({ currentUserId }: { currentUserId: number }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 300);
  const [role, setRole] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const filterRole = ROLES.find((r) => r === role);
  const users = useUsers({
    page,
    page_size: PAGE_SIZE,
    ...(debounced ? { q: debounced } : {}),
    ...(filterRole ? { role: filterRole } : {}),
  });

  return (
    <Stack>
      <Group align="flex-end">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setPage(1);
          }}
        />
        <Select
          label={t('users.role')}
          placeholder={t('browse.any')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          clearable
          onChange={(value) => {
            setRole(value);
            setPage(1);
          }}
        />
      </Group>
      {users.isPending && <Loader aria-label={t('common.loading')} />}
      {users.isError && (
        <Alert color="red" role="alert">
          {users.error.message}
        </Alert>
      )}
      {users.data && (
        <>
          <Text size="sm" c="dimmed" role="status">
            {t('users.count', { count: users.data.count })}
          </Text>
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label={t('users.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.user')}</Table.Th>
                  <Table.Th>{t('users.role')}</Table.Th>
                  <Table.Th>{t('users.state')}</Table.Th>
                  <Table.Th>{t('users.joined')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.results.map((user) => (
                  <UserRow key={user.id} user={user} isSelf={user.id === currentUserId} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager count={users.data.count} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
        </>
      )}
    </Stack>
  );
}
