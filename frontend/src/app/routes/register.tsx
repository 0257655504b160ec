import { useTranslation } from 'react-i18next';

import { RegisterForm } from '@/features/accounts/components/register-form';

import { Page } from './page';

export function RegisterRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('auth.register.title')} lead={t('auth.register.lead')} narrow>
      <RegisterForm />
    </Page>
  );
}
