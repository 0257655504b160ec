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
 * spec's Input), which let the dock locate the learnwares whose columns mean the same and
 * search learnwares with other columns in the specification world, and the choice to search
 * there even when some learnware shares the columns. A CSV's header, if any, is what is sent
 * while nothing is typed: it is shown as the placeholder.
 */
export function ColumnDescriptionsField({
  values,
  dimension,
  header = null,
  error,
  onChange,
}: {
  values: ColumnDescriptionsValues;
  /** The number of columns of the attached specification, if known. */
  dimension: number | null;
  /** The CSV header's names of the chosen columns, sent when nothing is typed. */
  header?: readonly string[] | null;
  /** The API's problems with `input`, if the last search was refused for them. */
  error?: string | undefined;
  onChange: (values: ColumnDescriptionsValues) => void;
}) {
  const { t } = useTranslation();
  const typed = values.descriptions.trim() !== '';
  const described = typed || header !== null;
  const help = [
    t('search.columns.help'),
    dimension === null ? null : t('search.columns.dimension', { count: dimension }),
    header === null ? null : t('search.columns.header', { names: header.join(', ') }),
  ]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <Stack gap="xs">
      <Textarea
        label={t('search.columns.label')}
        description={help}
        placeholder={header === null ? t('search.columns.placeholder') : header.join('\n')}
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
