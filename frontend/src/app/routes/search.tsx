import { useTranslation } from 'react-i18next';

import { LearnwareSearch } from '@/features/learnwares/components/learnware-search';

import { Page } from './page';

export function SearchRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('search.title')} lead={t('search.lead')}>
      <LearnwareSearch />
    </Page>
  );
}
