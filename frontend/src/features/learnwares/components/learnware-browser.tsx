import { Alert, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { Pager } from '@/components/ui/pager';

import { useLearnwares } from '../api/get-learnwares';
import { useSemanticVocabulary } from '../api/get-semantic-vocabulary';
import { LearnwareCard } from './learnware-card';
import { TagFilterFields } from './tag-filter-fields';

const PAGE_SIZE = 12;
const PARAM = {
  dataType: 'data_type',
  taskType: 'task_type',
  libraryType: 'library_type',
  scenarios: 'scenario',
  license: 'license',
} as const;

/**
 * Filters (kept in the URL so a filtered page can be shared), the cards and paging. Data, task
 * and library are filtered by the API; scenario and license are filtered on the page shown,
 * because the API has no filter for them yet.
 */
export function LearnwareBrowser() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const dataType = params.get('data_type');
  const taskType = params.get('task_type');
  const libraryType = params.get('library_type');
  const scenarios = params.getAll('scenario');
  const license = params.get('license');
  const vocabulary = useSemanticVocabulary();
  const vocab = vocabulary.data;

  const learnwares = useLearnwares({
    page,
    page_size: PAGE_SIZE,
    ...(dataType ? { data_type: dataType } : {}),
    ...(taskType ? { task_type: taskType } : {}),
    ...(libraryType ? { library_type: libraryType } : {}),
  });

  const update = (key: string, value: string | string[] | null) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    if (Array.isArray(value)) value.forEach((item) => next.append(key, item));
    else if (value) next.set(key, value);
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  const shown = (learnwares.data?.results ?? []).filter(
    (learnware) =>
      (scenarios.length === 0 || scenarios.some((s) => learnware.scenarios.includes(s))) &&
      (!license || learnware.license === license),
  );

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} role="search" aria-label={t('browse.filters')}>
        <TagFilterFields
          vocabulary={vocab}
          values={{ dataType, taskType, libraryType, scenarios, license }}
          onChange={(key, value) => {
            update(PARAM[key], value);
          }}
        />
      </SimpleGrid>
      {vocabulary.isError && (
        <Alert color="red" role="alert" title={t('semantic.loadFailed')}>
          {vocabulary.error.message}
        </Alert>
      )}
      {(scenarios.length > 0 || license) && (
        <Text size="xs" c="dimmed">
          {t('browse.clientSideNote')}
        </Text>
      )}

      {learnwares.isPending && <Loader aria-label={t('common.loading')} />}
      {learnwares.isError && (
        <Alert color="red" role="alert" title={t('browse.loadFailed')}>
          {learnwares.error.message}
        </Alert>
      )}
      {learnwares.data && (
        <>
          <Text size="sm" c="dimmed" role="status">
            {t('browse.count', { count: learnwares.data.count })}
          </Text>
          {shown.length === 0 ? (
            <Text>{t('browse.empty')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {shown.map((learnware) => (
                <LearnwareCard key={learnware.id} learnware={learnware} />
              ))}
            </SimpleGrid>
          )}
          <Pager
            count={learnwares.data.count}
            pageSize={PAGE_SIZE}
            page={page}
            onChange={(value) => {
              update('page', String(value));
            }}
          />
        </>
      )}
    </Stack>
  );
}
