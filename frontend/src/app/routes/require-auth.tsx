import { Alert, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';

import { paths } from '@/config/paths';
import { isStaff, useMe } from '@/features/accounts/api/get-me';

/** Renders the child routes for a signed-in user (and staff, with `staff`); else asks to sign in. */
export function RequireAuth({ staff = false }: { staff?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();

  if (me.isPending) return <Loader aria-label={t('common.loading')} />;
  if (me.isError) {
    return (
      <Alert color="red" role="alert">
        {me.error.message}
      </Alert>
    );
  }
  if (!me.data) {
    const redirect = location.pathname + location.search;
    return <Navigate to={`${paths.login.path}?redirect=${encodeURIComponent(redirect)}`} replace />;
  }
  if (staff && !isStaff(me.data)) {
    return (
      <Alert color="yellow" role="alert" title={t('auth.forbiddenTitle')}>
        {t('auth.forbidden')}
      </Alert>
    );
  }
  return <Outlet />;
}
