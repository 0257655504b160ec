import { Card, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useMe } from '@/features/accounts/api/get-me';
import { ApiTokensPanel } from '@/features/accounts/components/api-tokens-panel';
import { ChangePasswordForm } from '@/features/accounts/components/change-password-form';
import { ProfileForm } from '@/features/accounts/components/profile-form';

import { Page } from './page';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function AccountRoute() {
  const { t } = useTranslation();
  const me = useMe();
  // RequireAuth renders this only for a signed-in user.
  if (!me.data) return null;
  return (
    <Page title={t('account.title')}>
      <Section title={t('account.profile')}>
        <ProfileForm user={me.data} />
      </Section>
      <Section title={t('account.password')}>
        <ChangePasswordForm />
      </Section>
      <Section title={t('account.tokens.title')}>
        <ApiTokensPanel />
      </Section>
    </Page>
  );
}
