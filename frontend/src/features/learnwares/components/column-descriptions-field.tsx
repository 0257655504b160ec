import { Checkbox, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ColumnDescriptionsValues = {
  /** One description per line: line i describes column i of the user's table. */
  descriptions: string;
  /** Search the specification world even if some learnware shares the user's columns. */
  hetero: boolean;
};

/**
 * The optional descriptions of the columns of the user's table RKME (sent as the semantic
 * spec's Input), which let the dock search learnwares with other columns in the specification
 * world, and the choice to search there even when some learnware shares the columns.
 */
export function ColumnDescriptionsField({
  values,
  dimension,
  error,
  onChange,
}: {
  values: ColumnDescriptionsValues;
  /** The number of columns of the attached specification, if known. */
  dimension: number | null;
  /** The API's problems with `input`, if the last search was refused for them. */
  error?: string | undefined;
  onChange: (values: ColumnDescriptionsValues) => void;
}) {
  const { t } = useTranslation();
  const described = values.descriptions.trim() !== '';
  return (
    <Stack gap="xs">
      <Textarea
        label={t('search.columns.label')}
        description={
          dimension === null
            ? t('search.columns.help')
            : `${t('search.columns.help')} ${t('search.columns.dimension', { count: dimension })}`
        }
        placeholder={t('search.columns.placeholder')}
        autosize
        minRows={3}
        maxRows={12}
        value={values.descriptions}
        error={error}
        onChange={(event) => {
          onChange({ ...values, descriptions: event.currentTarget.value });
        }}
      />
      <Checkbox
        label={t('search.columns.hetero')}
        description={t('search.columns.heteroHelp')}
        disabled={!described}
        checked={described && values.hetero}
        onChange={(event) => {
          onChange({ ...values, hetero: event.currentTarget.checked });
        }}
      />
    </Stack>
  );
}
