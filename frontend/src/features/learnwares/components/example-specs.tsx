import { Button, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { type Learnware, useLearnwares } from '../api/get-learnwares';
import { getStatSpecText } from '../api/get-stat-spec';

const SHOWN = 4;

/** Up to `SHOWN` learnwares, one per data type first, then the newest others. */
const pickExamples = (learnwares: Learnware[]): Learnware[] => {
  const firstOfType = learnwares.filter(
    (lw, i) => learnwares.findIndex((other) => other.data_type === lw.data_type) === i,
  );
  const rest = learnwares.filter((lw) => !firstOfType.includes(lw));
  return [...firstOfType, ...rest].slice(0, SHOWN);
};

/**
 * Examples to try: search with a listed learnware's own RKME, as a user whose data is like the
 * data it was trained on. `onPick` gets the spec as a stat.json file and the learnware's data type.
 */
export function ExampleSpecs({ onPick }: { onPick: (file: File, dataType: string) => void }) {
  const { t } = useTranslation();
  const listed = useLearnwares({ page_size: 24 });
  const load = useMutation({
    mutationFn: async (learnware: Learnware) => {
      if (!learnware.live_version) throw new Error(t('search.examples.notListed'));
      const text = await getStatSpecText(learnware.live_version.id);
      return { learnware, file: new File([text], 'stat.json', { type: 'application/json' }) };
    },
    onSuccess: ({ learnware, file }) => {
      onPick(file, learnware.data_type);
    },
  });
  const examples = pickExamples(listed.data?.results ?? []);
  if (examples.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-label={t('search.examples.label')}>
      <Text size="sm">{t('search.examples.label')}</Text>
      {examples.map((learnware) => (
        <Button
          key={learnware.id}
          size="compact-sm"
          variant="light"
          loading={load.isPending && load.variables.id === learnware.id}
          title={t('search.examples.hint', { name: learnware.name })}
          onClick={() => {
            load.mutate(learnware);
          }}
        >
          {t('search.examples.like', { name: learnware.name, type: learnware.data_type })}
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
