import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useRequestPasswordReset } from '../api/request-password-reset';

export function ForgotPasswordForm() {
  const { t } = useTranslation();
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email);
  };

  if (request.isSuccess) {
    return (
      <Alert color="teal" title={t('auth.forgot.doneTitle')} role="status">
        {t('auth.forgot.doneBody', { email })}
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {request.isError && (
          <Alert color="red" role="alert">
            {request.error.message}
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
        <Button type="submit" loading={request.isPending} disabled={!email}>
          {t('auth.forgot.submit')}
        </Button>
      </Stack>
    </form>
  );
}
