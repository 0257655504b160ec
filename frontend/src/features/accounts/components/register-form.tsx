import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api/errors';

import { useRegister } from '../api/register';

const MIN_PASSWORD = 8;

export function RegisterForm() {
  const { t } = useTranslation();
  const register = useRegister();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);

  const passwordError =
    touched && password.length < MIN_PASSWORD
      ? t('auth.fields.passwordTooShort', { count: MIN_PASSWORD })
      : undefined;
  const confirmError =
    touched && confirm !== password ? t('auth.fields.passwordsDiffer') : undefined;
  const fields = register.error instanceof ApiError ? register.error.fields : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length < MIN_PASSWORD || confirm !== password || !email) return;
    register.mutate({ email, password, display_name: displayName });
  };

  if (register.isSuccess) {
    return (
      <Alert color="teal" title={t('auth.register.doneTitle')} role="status">
        <Text size="sm">{t('auth.register.doneBody', { email: register.data.email })}</Text>
        <Anchor component={Link} to={paths.home.path} size="sm">
          {t('common.backHome')}
        </Anchor>
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {register.isError && (
          <Alert color="red" title={t('auth.register.failed')} role="alert">
            {register.error.message}
          </Alert>
        )}
        <TextInput
          label={t('auth.fields.displayName')}
          autoComplete="nickname"
          value={displayName}
          error={fields.display_name?.join(' ')}
          onChange={(event) => {
            setDisplayName(event.currentTarget.value);
          }}
        />
        <TextInput
          label={t('auth.fields.email')}
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fields.email?.join(' ')}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.password')}
          autoComplete="new-password"
          required
          value={password}
          error={passwordError ?? fields.password?.join(' ')}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.confirmPassword')}
          autoComplete="new-password"
          required
          value={confirm}
          error={confirmError}
          onChange={(event) => {
            setConfirm(event.currentTarget.value);
          }}
        />
        <Button type="submit" loading={register.isPending}>
          {t('auth.register.submit')}
        </Button>
        <Anchor component={Link} to={paths.login.path} size="sm">
          {t('auth.register.haveAccount')}
        </Anchor>
      </Stack>
    </form>
  );
}
