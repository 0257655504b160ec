import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { VerifyEmail } from '@/features/accounts/components/verify-email';

import { Page } from './page';

export function VerifyEmailRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <Page title={t('auth.verify.title')} narrow>
      <VerifyEmail token={params.get('token') ?? ''} />
    </Page>
  );
}
