import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { paths } from '@/config/paths';
import { isStaff, useMe } from '@/features/accounts/api/get-me';
import { LearnwareDetail } from '@/features/learnwares/components/learnware-detail';

import { NotFoundRoute } from './not-found';

export function LearnwareRoute() {
  const { t } = useTranslation();
  const { id } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  useDocumentTitle(`${t('learnware.title')} ${id ?? ''} · ${t('nav.brand')}`);
  const learnwareId = Number(id);
  if (!Number.isInteger(learnwareId) || learnwareId <= 0) return <NotFoundRoute />;

  const user = me.data;
  return (
    <LearnwareDetail
      key={learnwareId}
      id={learnwareId}
      canManage={(ownerId) => Boolean(user && (user.id === ownerId || isStaff(user)))}
      signedIn={user === undefined ? undefined : user !== null}
      onDeleted={() => {
        void navigate(paths.myLearnwares.path);
      }}
    />
  );
}
