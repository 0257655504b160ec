import { MultiSelect, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { SemanticVocabulary } from '../api/get-semantic-vocabulary';

export type TagFilterValues = {
  dataType: string | null;
  taskType: string | null;
  libraryType: string | null;
  scenarios: string[];
  license: string | null;
};

type Props = {
  /** The allowed values; the fields are disabled (placeholder "Loading") until it arrives. */
  vocabulary: SemanticVocabulary | undefined;
  values: TagFilterValues;
  onChange: <K extends keyof TagFilterValues>(key: K, value: TagFilterValues[K]) => void;
};

/** The five semantic-tag filters shared by Browse and Search (any value when empty). */
export function TagFilterFields({ vocabulary, values, onChange }: Props) {
  const { t } = useTranslation();
  const any = vocabulary ? t('browse.any') : t('common.loading');
  const single = (
    key: 'dataType' | 'taskType' | 'libraryType' | 'license',
    label: string,
    data: string[] | undefined,
  ) => (
    <Select
      label={label}
      placeholder={any}
      data={data ?? []}
      disabled={!vocabulary}
      value={values[key]}
      clearable
      onChange={(value) => {
        onChange(key, value);
      }}
    />
  );
  return (
    <>
      {single('dataType', t('semantic.data'), vocabulary?.data_types)}
      {single('taskType', t('semantic.task'), vocabulary?.task_types)}
      {single('libraryType', t('semantic.library'), vocabulary?.library_types)}
      <MultiSelect
        label={t('semantic.scenario')}
        placeholder={values.scenarios.length ? undefined : any}
        data={vocabulary?.scenarios ?? []}
        disabled={!vocabulary}
        value={values.scenarios}
        clearable
        onChange={(value) => {
          onChange('scenarios', value);
        }}
      />
      {single('license', t('semantic.license'), vocabulary?.licenses)}
    </>
  );
}
