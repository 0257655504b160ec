import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useChangePassword } from '../api/change-password';

const MIN_PASSWORD = 8;

export function ChangePasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);

  const tooShort = newPassword.length < MIN_PASSWORD;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!oldPassword || tooShort || confirm !== newPassword) return;
    change.mutate(
      { old_password: oldPassword, new_password: newPassword },
      {
        onSuccess: () => {
          setOldPassword('');
          setNewPassword('');
          setConfirm('');
          setTouched(false);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <PasswordInput
          label={t('auth.fields.currentPassword')}
          autoComplete="current-password"
          required
          value={oldPassword}
          onChange={(event) => {
            setOldPassword(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.newPassword')}
          autoComplete="new-password"
          required
          value={newPassword}
          error={
            touched && tooShort
              ? t('auth.fields.passwordTooShort', { count: MIN_PASSWORD })
              : undefined
          }
          onChange={(event) => {
            setNewPassword(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.confirmPassword')}
          autoComplete="new-password"
          required
          value={confirm}
          error={touched && confirm !== newPassword ? t('auth.fields.passwordsDiffer') : undefined}
          onChange={(event) => {
            setConfirm(event.currentTarget.value);
          }}
        />
        {change.isError && (
          <Alert color="red" role="alert">
            {change.error.message}
          </Alert>
        )}
        {change.isSuccess && (
          <Text size="sm" c="teal" role="status">
            {t('account.passwordChanged')}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('account.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
