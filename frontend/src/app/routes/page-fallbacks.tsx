import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet, useNavigation, useRouteError } from 'react-router';

/** Stands in for a page while its code chunk is fetched. */
export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader role="progressbar" aria-label={t('common.loading')} />
    </Center>
  );
}

/**
 * The pages' outlet. The router only waits ("loading") for a lazy page's chunk on its first visit
 * (no route has a loader), so the loader shows then instead of the previous page.
 */
export function PageOutlet() {
  const navigation = useNavigation();
  return navigation.state === 'loading' ? <PageLoader /> : <Outlet />;
}

/** A page that failed to load or render, e.g. its chunk is gone after a redeploy: offer a reload. */
export function PageError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Alert color="red" role="alert" title={t('common.pageError')} my="md">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('common.pageErrorHint')}</Text>
        {error instanceof Error && (
          <Text size="xs" c="dimmed">
            {error.message}
          </Text>
        )}
        <Button
          onClick={() => {
            window.location.reload();
          }}
        >
          {t('common.reload')}
        </Button>
      </Stack>
    </Alert>
  );
}
