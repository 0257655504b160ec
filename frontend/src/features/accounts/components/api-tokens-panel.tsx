import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDateTime } from '@/utils/format';

import { type CreatedApiToken, useCreateApiToken } from '../api/create-api-token';
import { type ApiToken, useApiTokens } from '../api/get-api-tokens';
import { useRevokeApiToken } from '../api/revoke-api-token';

function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="teal" title={t('account.tokens.createdTitle')} role="status">
      <Stack gap="xs">
        <Text size="sm">{t('account.tokens.createdBody')}</Text>
        <Code block aria-label={t('account.tokens.secret')}>
          {token.token}
        </Code>
        <Group>
          <CopyButton value={token.token}>
            {({ copied, copy }) => (
              <Button size="xs" color={copied ? 'teal' : 'blue'} onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('account.tokens.stored')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function RevokeButton({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="compact-xs"
        color="red"
        variant="light"
        onClick={() => {
          setOpen(true);
        }}
      >
        {t('account.tokens.revoke')}
      </Button>
      <Modal
        opened={open}
        onClose={() => {
          setOpen(false);
        }}
        title={t('account.tokens.revokeTitle', { name: token.name })}
      >
        <Stack>
          <Text size="sm">{t('account.tokens.revokeBody')}</Text>
          {revoke.isError && (
            <Alert color="red" role="alert">
              {revoke.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setOpen(false);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => {
                revoke.mutate(token.id, {
                  onSuccess: () => {
                    setOpen(false);
                  },
                });
              }}
            >
              {t('account.tokens.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function ApiTokensPanel() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName('');
        },
      },
    );
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('account.tokens.intro')}
      </Text>
      {created && (
        <NewToken
          token={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      <form onSubmit={submit} noValidate>
        <Group align="flex-end">
          <TextInput
            label={t('account.tokens.name')}
            placeholder={t('account.tokens.namePlaceholder')}
            value={name}
            maxLength={100}
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('account.tokens.create')}
          </Button>
        </Group>
      </form>
      {create.isError && (
        <Alert color="red" role="alert">
          {create.error.message}
        </Alert>
      )}
      {tokens.isError && (
        <Alert color="red" role="alert">
          {tokens.error.message}
        </Alert>
      )}
      {tokens.data?.results.length === 0 && <Text size="sm">{t('account.tokens.none')}</Text>}
      {tokens.data && tokens.data.results.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={t('account.tokens.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('account.tokens.name')}</Table.Th>
                <Table.Th>{t('account.tokens.prefix')}</Table.Th>
                <Table.Th>{t('account.tokens.created')}</Table.Th>
                <Table.Th>{t('account.tokens.lastUsed')}</Table.Th>
                <Table.Th>{t('account.tokens.expires')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.results.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>bmw_{token.prefix}_…</Code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(token.created_at)}</Table.Td>
                  <Table.Td>
                    {token.last_used_at ? formatDateTime(token.last_used_at) : t('common.never')}
                  </Table.Td>
                  <Table.Td>
                    {token.is_expired
                      ? t('account.tokens.expired')
                      : token.expires_at
                        ? formatDateTime(token.expires_at)
                        : t('common.never')}
                  </Table.Td>
                  <Table.Td>
                    <RevokeButton token={token} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
