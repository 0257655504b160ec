import { useTranslation } from 'react-i18next';

import { LearnwareBrowser } from '@/features/learnwares/components/learnware-browser';

import { Page } from './page';

export function LearnwaresRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('browse.title')} lead={t('browse.lead')}>
      <LearnwareBrowser />
    </Page>
  );
}
