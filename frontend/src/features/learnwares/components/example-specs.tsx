import { Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { type Learnware, useLearnwares } from '../api/get-learnwares';
import { getSearchExampleText, useSearchExamples } from '../api/get-search-examples';
import { getStatSpecText } from '../api/get-stat-spec';
import { inputLines } from '../api/search-learnwares';

const SHOWN = 4;

/** Up to `SHOWN` learnwares, one per data type first, then the newest others. */
const pickLearnwares = (learnwares: Learnware[]): Learnware[] => {
  const firstOfType = learnwares.filter(
    (lw, i) => learnwares.findIndex((other) => other.data_type === lw.data_type) === i,
  );
  const rest = learnwares.filter((lw) => !firstOfType.includes(lw));
  return [...firstOfType, ...rest].slice(0, SHOWN);
};

type Example = {
  key: string;
  label: string;
  hint: string;
  dataType: string;
  /** The example user's column descriptions, one per line ('' when it has none). */
  columns: string;
  load: () => Promise<string>;
};

/**
 * Examples to try: the market's example user specs (made from data no learnware saw), or,
 * when it has none, a listed learnware's own RKME ("data like its training data").
 * `onPick` gets the spec as a stat.json file, its data type and the example user's column
 * descriptions (one per line; '' if none).
 */
export function ExampleSpecs({
  onPick,
}: {
  onPick: (file: File, dataType: string, columns: string) => void;
}) {
  const { t } = useTranslation();
  const curated = useSearchExamples();
  const noCurated = curated.isSuccess && curated.data.length === 0;
  const listed = useLearnwares({ page_size: 24 });
  const load = useMutation({
    mutationFn: async (example: Example) => ({
      example,
      file: new File([await example.load()], 'stat.json', { type: 'application/json' }),
    }),
    onSuccess: ({ example, file }) => {
      onPick(file, example.dataType, example.columns);
    },
  });

  const examples: Example[] = curated.data?.length
    ? curated.data.map((example) => ({
        key: `example-${example.id.toString()}`,
        label: `${example.name} (${example.data_type})`,
        hint: example.description,
        dataType: example.data_type,
        columns: inputLines({ Input: example.input }),
        load: () => getSearchExampleText(example.id),
      }))
    : noCurated
      ? pickLearnwares(listed.data?.results ?? []).flatMap((learnware) => {
          const live = learnware.live_version;
          return live
            ? [
                {
                  key: `learnware-${learnware.id.toString()}`,
                  label: t('search.examples.like', {
                    name: learnware.name,
                    type: learnware.data_type,
                  }),
                  hint: t('search.examples.hint', { name: learnware.name }),
                  dataType: learnware.data_type,
                  columns: inputLines(learnware.semantic_spec),
                  load: () => getStatSpecText(live.id),
                },
              ]
            : [];
        })
      : [];
  if (examples.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-label={t('search.examples.label')}>
      <Text size="sm">{t('search.examples.label')}</Text>
      {examples.map((example) => (
        <Button
          key={example.key}
          size="compact-sm"
          variant="light"
          loading={load.isPending && load.variables.key === example.key}
          title={example.hint}
          onClick={() => {
            load.mutate(example);
          }}
        >
          {example.label}
        </Button>
      ))}
      {load.isError && (
        <Text size="sm" c="red" role="alert">
          {load.error.message}
        </Text>
      )}
    </Group>
  );
}
