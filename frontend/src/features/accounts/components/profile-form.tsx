import { Alert, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { User } from '../api/get-me';
import { useResendVerification } from '../api/resend-verification';
import { useUpdateMe } from '../api/update-me';

export function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const update = useUpdateMe();
  const resend = useResendVerification();
  const [displayName, setDisplayName] = useState(user.display_name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ display_name: displayName });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Group gap="xs">
          <Text size="sm">
            {t('auth.fields.email')}: <strong>{user.email}</strong>
          </Text>
          <Badge color={user.email_verified ? 'teal' : 'yellow'} variant="light">
            {user.email_verified ? t('account.verified') : t('account.unverified')}
          </Badge>
          <Badge variant="outline">{t(`roles.${user.role}`)}</Badge>
        </Group>
        {!user.email_verified && (
          <Alert color="yellow" title={t('account.verifyTitle')}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('account.verifyBody')}</Text>
              {resend.isSuccess ? (
                <Text size="sm" role="status">
                  {t('account.verifySent')}
                </Text>
              ) : (
                <Button
                  size="xs"
                  variant="light"
                  loading={resend.isPending}
                  onClick={() => {
                    resend.mutate();
                  }}
                >
                  {t('account.verifyResend')}
                </Button>
              )}
              {resend.isError && (
                <Text size="sm" c="red" role="alert">
                  {resend.error.message}
                </Text>
              )}
            </Stack>
          </Alert>
        )}
        <TextInput
          label={t('auth.fields.displayName')}
          value={displayName}
          maxLength={100}
          onChange={(event) => {
            setDisplayName(event.currentTarget.value);
          }}
        />
        {update.isError && (
          <Alert color="red" role="alert">
            {update.error.message}
          </Alert>
        )}
        {update.isSuccess && (
          <Text size="sm" c="teal" role="status">
            {t('common.saved')}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
