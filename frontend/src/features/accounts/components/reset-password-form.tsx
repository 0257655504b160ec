import { Alert, Anchor, Button, Checkbox, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import { useResetPassword } from '../api/reset-password';

const MIN_PASSWORD = 8;

export function ResetPasswordForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [revokeTokens, setRevokeTokens] = useState(true);

  const tooShort = password.length < MIN_PASSWORD;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (tooShort || confirm !== password) return;
    reset.mutate({ token, new_password: password, revoke_api_tokens: revokeTokens });
  };

  if (!token) {
    return (
      <Alert color="red" role="alert">
        {t('auth.reset.noToken')}
      </Alert>
    );
  }
  if (reset.isSuccess) {
    return (
      <Alert color="teal" title={t('auth.reset.doneTitle')} role="status">
        <Anchor component={Link} to={paths.login.path} size="sm">
          {t('auth.reset.signIn')}
        </Anchor>
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {reset.isError && (
          <Alert color="red" role="alert">
            {reset.error.message}
          </Alert>
        )}
        <PasswordInput
          label={t('auth.fields.newPassword')}
          autoComplete="new-password"
          required
          value={password}
          error={
            touched && tooShort
              ? t('auth.fields.passwordTooShort', { count: MIN_PASSWORD })
              : undefined
          }
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.confirmPassword')}
          autoComplete="new-password"
          required
          value={confirm}
          error={touched && confirm !== password ? t('auth.fields.passwordsDiffer') : undefined}
          onChange={(event) => {
            setConfirm(event.currentTarget.value);
          }}
        />
        <Checkbox
          label={t('auth.reset.revokeTokens')}
          checked={revokeTokens}
          onChange={(event) => {
            setRevokeTokens(event.currentTarget.checked);
          }}
        />
        <Button type="submit" loading={reset.isPending}>
          {t('auth.reset.submit')}
        </Button>
      </Stack>
    </form>
  );
}
