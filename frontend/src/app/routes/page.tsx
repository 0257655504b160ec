import { Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A route's frame: the document title, an h1, an optional lead, the content. */
export function Page({
  title,
  lead,
  children,
  narrow = false,
}: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
  narrow?: boolean;
}) {
  const { t } = useTranslation();
  useDocumentTitle(`${title} · ${t('nav.brand')}`);
  return (
    <Stack gap="md" py="md" maw={narrow ? 480 : undefined} mx={narrow ? 'auto' : undefined}>
      <Title order={1}>{title}</Title>
      {lead && <Text c="dimmed">{lead}</Text>}
      {children}
    </Stack>
  );
}
