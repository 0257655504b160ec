import { Alert, Button, Card, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Markdown } from '@/components/ui/markdown';
import { downloadUrls } from '@/config/paths';
import { asSemanticSpec, specText } from '@/config/semantic';
import { ApiError } from '@/lib/api/errors';
import { formatDateTime } from '@/utils/format';

import { useLearnware } from '../api/get-learnware';
import { useVersions } from '../api/get-versions';
import { DeleteLearnwareModal } from './delete-learnware-modal';
import { DeploySnippet } from './deploy-snippet';
import { EditLearnwareModal } from './edit-learnware-modal';
import { IoDescriptionTable } from './io-description-table';
import { LearnwareTags } from './learnware-tags';
import { NewVersionModal } from './new-version-modal';
import { SemanticSpecTable } from './semantic-spec-table';
import { TryItPanel } from './try-it-panel';
import { VersionCheckReport } from './version-check-report';
import { VersionList } from './version-list';

type Dialog = 'edit' | 'version' | 'delete' | null;

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function LearnwareDetail({
  id,
  canManage,
  signedIn,
  onDeleted,
}: {
  id: number;
  /** The owner or staff: may edit, upload versions, re-check and delete. */
  canManage: (ownerId: number) => boolean;
  /** Whether a user is signed in (undefined while unknown): "Try it" needs one. */
  signedIn: boolean | undefined;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const learnware = useLearnware(id);
  const versions = useVersions(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [picked, setPicked] = useState<number | null>(null);

  if (learnware.isPending) return <Loader aria-label={t('common.loading')} />;
  if (learnware.isError) {
    const notFound = learnware.error instanceof ApiError && learnware.error.status === 404;
    return (
      <Alert color="red" role="alert" title={notFound ? t('learnware.notFound') : undefined}>
        {learnware.error.message}
      </Alert>
    );
  }

  const lw = learnware.data;
  const spec = asSemanticSpec(lw.semantic_spec);
  const manage = canManage(lw.owner.id);
  const newest = versions.data ? [...versions.data].sort((a, b) => b.number - a.number)[0] : null;
  const selected = picked ?? newest?.id ?? lw.live_version?.id ?? null;
  const close = () => {
    setDialog(null);
  };

  return (
    <Stack gap="md">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Title order={1}>{lw.name}</Title>
          <Group gap="xs">
            {(lw.live_version !== null || manage) && (
              <Button component="a" href={downloadUrls.learnware(lw.id)}>
                {t('learnware.download')}
              </Button>
            )}
            {manage && (
              <>
                <Button
                  variant="default"
                  onClick={() => {
                    setDialog('edit');
                  }}
                >
                  {t('learnware.edit.open')}
                </Button>
                <Button
                  variant="default"
                  onClick={() => {
                    setDialog('version');
                  }}
                >
                  {t('learnware.newVersion.open')}
                </Button>
                <Button
                  color="red"
                  variant="light"
                  onClick={() => {
                    setDialog('delete');
                  }}
                >
                  {t('learnware.delete.open')}
                </Button>
              </>
            )}
          </Group>
        </Group>
        <LearnwareTags learnware={lw} />
        <Group gap="md">
          <Text size="sm" c="dimmed">
            {t('learnware.id')}: {lw.id}
          </Text>
          <Text size="sm" c="dimmed">
            {t('learnware.owner')}: {lw.owner.display_name}
          </Text>
          <Text size="sm" c="dimmed">
            {lw.live_version
              ? t('learnware.liveVersion', { number: lw.live_version.number })
              : t('learnware.notLive')}
          </Text>
          <Text size="sm" c="dimmed">
            {t('learnware.downloads', { count: lw.downloads })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('learnware.updated', { when: formatDateTime(lw.updated_at) })}
          </Text>
        </Group>
      </Stack>

      <Section title={t('learnware.description')}>
        <Markdown>{specText(spec.Description)}</Markdown>
      </Section>

      <Section title={t('learnware.semanticSpec')}>
        <SemanticSpecTable spec={lw.semantic_spec} />
      </Section>

      <Section title={t('learnware.io')}>
        <Tabs defaultValue="input">
          <Tabs.List>
            <Tabs.Tab value="input">{t('learnware.input')}</Tabs.Tab>
            <Tabs.Tab value="output">{t('learnware.output')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="input" pt="sm">
            <IoDescriptionTable title={t('learnware.input')} description={spec.Input} />
          </Tabs.Panel>
          <Tabs.Panel value="output" pt="sm">
            <IoDescriptionTable title={t('learnware.output')} description={spec.Output} />
          </Tabs.Panel>
        </Tabs>
      </Section>

      <TryItPanel learnware={lw} signedIn={signedIn} />

      <Section title={t('learnware.versions')}>
        <Stack>
          <VersionList
            learnwareId={lw.id}
            canManage={manage}
            selected={selected}
            onSelect={setPicked}
          />
          {selected !== null && (
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('checks.title')}
              </Title>
              <VersionCheckReport versionId={selected} />
            </Stack>
          )}
        </Stack>
      </Section>

      <Section title={t('learnware.deploy.title')}>
        <DeploySnippet learnware={lw} downloadable={lw.live_version !== null || manage} />
      </Section>

      {manage && (
        <>
          {dialog === 'edit' && <EditLearnwareModal learnware={lw} opened onClose={close} />}
          {dialog === 'version' && (
            <NewVersionModal learnware={lw} opened onClose={close} onUploaded={setPicked} />
          )}
          <DeleteLearnwareModal
            learnware={lw}
            opened={dialog === 'delete'}
            onClose={close}
            onDeleted={onDeleted}
          />
        </>
      )}
    </Stack>
  );
}
