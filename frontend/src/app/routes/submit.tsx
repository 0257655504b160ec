import { useTranslation } from 'react-i18next';

import { SubmitWizard } from '@/features/learnwares/components/submit-wizard';

import { Page } from './page';

export function SubmitRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('submit.title')} lead={t('submit.lead')}>
      <SubmitWizard />
    </Page>
  );
}
