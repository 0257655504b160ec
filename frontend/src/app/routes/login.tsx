import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import { paths } from '@/config/paths';
import { LoginForm } from '@/features/accounts/components/login-form';

import { Page } from './page';

/** Only same-site paths, so a crafted link cannot send the user elsewhere after signing in. */
const safeRedirect = (value: string | null) =>
  value?.startsWith('/') && !value.startsWith('//') ? value : paths.learnwares.path;

export function LoginRoute() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <Page title={t('auth.login.title')} narrow>
      <LoginForm
        onSuccess={() => {
          void navigate(safeRedirect(params.get('redirect')), { replace: true });
        }}
      />
    </Page>
  );
}
