import { useTranslation } from 'react-i18next';

import { ForgotPasswordForm } from '@/features/accounts/components/forgot-password-form';

import { Page } from './page';

export function ForgotPasswordRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('auth.forgot.title')} lead={t('auth.forgot.lead')} narrow>
      <ForgotPasswordForm />
    </Page>
  );
}
