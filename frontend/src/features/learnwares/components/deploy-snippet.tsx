import { Alert, Button, Code, CopyButton, Group, Stack, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { downloadUrls } from '@/config/paths';
import type { components } from '@/lib/api/schema';

import { useCreateBundle } from '../api/create-bundle';
import {
  bundleCommands,
  chooseReuser,
  cliSnippet,
  pythonMultipleSnippet,
  pythonSingleSnippet,
} from '../utils/deploy-snippets';

type Learnware = components['schemas']['LearnwareOutput'];

/** A code block with a copy button. */
function Snippet({ label, code }: { label: string; code: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Group justify="flex-end">
        <CopyButton value={code}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="subtle"
              color={copied ? 'teal' : undefined}
              onClick={copy}
              aria-label={t('learnware.deploy.copyLabel', { what: label })}
            >
              {copied ? t('learnware.deploy.copied') : t('learnware.deploy.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block aria-label={label}>
        {code}
      </Code>
    </Stack>
  );
}

/** Python, CLI and bundle instructions as tabs. */
function SnippetTabs({ python, cli }: { python: string; cli: string }) {
  const { t } = useTranslation();
  return (
    <Tabs defaultValue="python">
      <Tabs.List>
        <Tabs.Tab value="python">{t('learnware.deploy.python')}</Tabs.Tab>
        <Tabs.Tab value="cli">{t('learnware.deploy.cli')}</Tabs.Tab>
        <Tabs.Tab value="bundle">{t('learnware.deploy.bundleTab')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="python" pt="sm">
        <Stack gap="xs">
          <Text size="sm">{t('learnware.deploy.pythonHelp')}</Text>
          <Snippet label={t('learnware.deploy.python')} code={python} />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="cli" pt="sm">
        <Stack gap="xs">
          <Text size="sm">{t('learnware.deploy.intro')}</Text>
          <Snippet label={t('learnware.deploy.cli')} code={cli} />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="bundle" pt="sm">
        <Stack gap="xs">
          <Text size="sm">{t('learnware.deploy.bundleHelp')}</Text>
          <Snippet label={t('learnware.deploy.bundleTab')} code={bundleCommands} />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}

/** Run one learnware on your machine: a bundle that works offline, or the client / CLI. */
export function DeploySnippet({
  learnware,
  downloadable = true,
}: {
  learnware: Learnware;
  /** Whether this visitor may download it (approved, or their own / staff). */
  downloadable?: boolean;
}) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  return (
    <Stack gap="sm">
      {downloadable && (
        <Group>
          <Button component="a" href={downloadUrls.bundle(learnware.id)} variant="light">
            {t('learnware.deploy.bundle')}
          </Button>
        </Group>
      )}
      <SnippetTabs
        python={pythonSingleSnippet(origin, learnware.id)}
        cli={cliSnippet(origin, [learnware.id])}
      />
    </Stack>
  );
}

/** Run a multiple search result: a bundle of its learnwares and weights, or the reuser. */
export function MultipleDeploy({
  learnwares,
  weights,
}: {
  learnwares: Learnware[];
  weights: number[];
}) {
  const { t } = useTranslation();
  const bundle = useCreateBundle();
  const origin = window.location.origin;
  const ids = learnwares.map((lw) => lw.id);
  const choice = chooseReuser(learnwares, weights);
  return (
    <Stack gap="sm" aria-label={t('learnware.deploy.multipleTitle')} role="group">
      <Text size="sm" fw={600}>
        {t('learnware.deploy.multipleTitle')}
      </Text>
      <Text size="sm">{t('learnware.deploy.reuser', { reuser: choice.reuser })}</Text>
      <Group>
        <Button
          variant="light"
          loading={bundle.isPending}
          onClick={() => {
            bundle.mutate({ learnwareIds: ids, weights });
          }}
        >
          {t('learnware.deploy.bundle')}
        </Button>
      </Group>
      {bundle.isError && (
        <Alert color="red" role="alert" title={t('learnware.deploy.bundleFailed')}>
          {bundle.error.message}
        </Alert>
      )}
      <SnippetTabs
        python={pythonMultipleSnippet(origin, ids, weights, choice)}
        cli={cliSnippet(origin, ids, choice)}
      />
    </Stack>
  );
}
