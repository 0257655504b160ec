import { useTranslation } from 'react-i18next';

import { MyLearnwares } from '@/features/learnwares/components/my-learnwares';

import { Page } from './page';

export function MyLearnwaresRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('mine.title')}>
      <MyLearnwares />
    </Page>
  );
}
