import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { ResetPasswordForm } from '@/features/accounts/components/reset-password-form';

import { Page } from './page';

export function ResetPasswordRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <Page title={t('auth.reset.title')} narrow>
      <ResetPasswordForm token={params.get('token') ?? ''} />
    </Page>
  );
}
