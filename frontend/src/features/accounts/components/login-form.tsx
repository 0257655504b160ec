import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import type { User } from '../api/get-me';
import { useLogin } from '../api/login';

export function LoginForm({ onSuccess }: { onSuccess: (user: User) => void }) {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {login.isError && (
          <Alert color="red" title={t('auth.login.failed')} role="alert">
            {login.error.message}
          </Alert>
        )}
        <TextInput
          label={t('auth.fields.email')}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
        />
        <PasswordInput
          label={t('auth.fields.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <Group justify="space-between">
          <Anchor component={Link} to={paths.forgotPassword.path} size="sm">
            {t('auth.login.forgot')}
          </Anchor>
          <Button type="submit" loading={login.isPending} disabled={!email || !password}>
            {t('auth.login.submit')}
          </Button>
        </Group>
        <Anchor component={Link} to={paths.register.path} size="sm">
          {t('auth.login.noAccount')}
        </Anchor>
      </Stack>
    </form>
  );
}
