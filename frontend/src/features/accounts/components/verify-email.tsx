import { Alert, Anchor, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

import { useVerifyEmail } from '../api/verify-email';

export function VerifyEmail({ token }: { token: string }) {
  const { t } = useTranslation();
  const verify = useVerifyEmail();
  const { mutate } = verify;
  // A token is single-use: confirm it once, even under StrictMode's double effects.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);

  if (!token) {
    return (
      <Alert color="red" role="alert">
        {t('auth.verify.noToken')}
      </Alert>
    );
  }
  if (verify.isError) {
    return (
      <Alert color="red" title={t('auth.verify.failed')} role="alert">
        {verify.error.message}
      </Alert>
    );
  }
  if (verify.isSuccess) {
    return (
      <Alert color="teal" title={t('auth.verify.doneTitle')} role="status">
        <Stack gap={4}>
          <Text size="sm">{t('auth.verify.doneBody')}</Text>
          <Anchor component={Link} to={paths.learnwares.path} size="sm">
            {t('auth.verify.continue')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return <Loader aria-label={t('auth.verify.checking')} />;
}
