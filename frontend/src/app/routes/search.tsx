import { useTranslation } from 'react-i18next';

import { useMe } from '@/features/accounts/api/get-me';
import { LearnwareSearch } from '@/features/learnwares/components/learnware-search';

import { Page } from './page';

export function SearchRoute() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Page title={t('search.title')} lead={t('search.lead')}>
      <LearnwareSearch signedIn={me.data === undefined ? undefined : me.data !== null} />
    </Page>
  );
}
