import {
  Alert,
  Button,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Markdown } from '@/components/ui/markdown';
import { type DataType, isDataType } from '@/config/semantic';
import type { UploadProgress as Progress } from '@/lib/api/upload';

import { useCreateLearnware } from '../api/create-learnware';
import {
  lengthRange,
  type SemanticVocabulary,
  tasksFor,
  useSemanticVocabulary,
} from '../api/get-semantic-vocabulary';
import {
  buildSemanticSpec,
  type Draft,
  emptyDraft,
  needsInput,
  needsOutput,
} from '../utils/semantic-spec';
import { type PackageState, PackageField } from './package-field';
import { SubmissionStatus } from './submission-status';
import { UploadProgress } from './upload-progress';

/** Beyond this many rows the per-dimension editor would be unusable; the API still takes them. */
const MAX_ROWS = 1000;

const resize = (texts: string[], size: number) =>
  Array.from({ length: Math.min(size, MAX_ROWS) }, (_, index) => texts[index] ?? '');

function DescriptionRows({
  label,
  dimension,
  texts,
  onChange,
}: {
  label: (index: number) => string;
  dimension: number;
  texts: string[];
  onChange: (texts: string[]) => void;
}) {
  return (
    <ScrollArea.Autosize mah={420} type="auto">
      <Stack gap={6} pr="sm">
        {resize(texts, dimension).map((text, index) => (
          <TextInput
            key={index}
            size="xs"
            label={label(index)}
            value={text}
            onChange={(event) => {
              const next = resize(texts, dimension);
              next[index] = event.currentTarget.value;
              onChange(next);
            }}
          />
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}

type Errors = Partial<Record<keyof Draft, string>>;

/** The wizard, once the allowed tag values are loaded. */
export function SubmitWizard() {
  const { t } = useTranslation();
  const vocabulary = useSemanticVocabulary();
  if (vocabulary.isPending) return <Loader aria-label={t('common.loading')} />;
  if (vocabulary.isError) {
    return (
      <Alert color="red" role="alert" title={t('semantic.loadFailed')}>
        {vocabulary.error.message}
      </Alert>
    );
  }
  return <SubmitWizardForm vocabulary={vocabulary.data} />;
}

function SubmitWizardForm({ vocabulary }: { vocabulary: SemanticVocabulary }) {
  const { t } = useTranslation();
  const NAME_LENGTH = lengthRange(vocabulary.name_length);
  const DESCRIPTION_LENGTH = lengthRange(vocabulary.description_length);
  const narrow = useMediaQuery('(max-width: 48em)');
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [shown, setShown] = useState<Set<number>>(new Set());
  const [pkg, setPkg] = useState<PackageState>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const create = useCreateLearnware();

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const errorsOf = (index: number): Errors => {
    const errors: Errors = {};
    if (index === 0) {
      const length = draft.name.trim().length;
      if (length < NAME_LENGTH.min || length > NAME_LENGTH.max) {
        errors.name = t('submit.errors.nameLength', NAME_LENGTH);
      }
      if (!draft.dataType) errors.dataType = t('submit.errors.required');
      if (!draft.taskType) errors.taskType = t('submit.errors.required');
      if (!draft.libraryType) errors.libraryType = t('submit.errors.required');
      if (draft.scenarios.length === 0) errors.scenarios = t('submit.errors.required');
      if (!draft.license) errors.license = t('submit.errors.required');
    }
    if (index === 1) {
      if (needsInput(draft) && !(draft.inputDimension >= 1)) {
        errors.inputDimension = t('submit.errors.dimension');
      }
      if (needsOutput(draft)) {
        const min = draft.taskType === 'Classification' ? 2 : 1;
        if (!(draft.outputDimension >= min)) {
          errors.outputDimension =
            min === 2 ? t('submit.errors.classes') : t('submit.errors.dimension');
        }
      }
    }
    if (index === 2) {
      const length = draft.description.length;
      if (length < DESCRIPTION_LENGTH.min || length > DESCRIPTION_LENGTH.max) {
        errors.description = t('submit.errors.descriptionLength', DESCRIPTION_LENGTH);
      }
    }
    return errors;
  };
  const errors = shown.has(step) ? errorsOf(step) : {};

  const next = () => {
    setShown((current) => new Set(current).add(step));
    if (Object.keys(errorsOf(step)).length === 0) setStep(step + 1);
  };
  const back = () => {
    setStep(Math.max(0, step - 1));
  };

  const upload = () => {
    if (!pkg) return;
    create.mutate({
      semanticSpec: buildSemanticSpec(draft),
      file: pkg.file,
      onProgress: setProgress,
    });
  };

  if (create.isSuccess) {
    return <SubmissionStatus learnwareId={create.data.id} versionId={create.data.version.id} />;
  }

  const dataType: DataType = draft.dataType ?? 'Table';

  return (
    <Stack>
      <Stepper
        active={step}
        onStepClick={(index) => {
          // Only back to a step already passed.
          if (index < step) setStep(index);
        }}
        orientation={narrow ? 'vertical' : 'horizontal'}
        size="sm"
      >
        <Stepper.Step label={t('submit.steps.tags')}>
          <Stack>
            <TextInput
              label={t('submit.fields.name')}
              description={t('submit.fields.nameHelp', NAME_LENGTH)}
              required
              value={draft.name}
              error={errors.name}
              onChange={(event) => {
                set('name', event.currentTarget.value);
              }}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('semantic.data')}
                data={vocabulary.data_types.filter(isDataType)}
                required
                value={draft.dataType}
                error={errors.dataType}
                onChange={(value) => {
                  const dataType = isDataType(value) ? value : null;
                  set('dataType', dataType);
                  // A task the new data type does not allow is dropped.
                  if (draft.taskType && !tasksFor(vocabulary, dataType).includes(draft.taskType)) {
                    set('taskType', null);
                  }
                }}
              />
              <Select
                label={t('semantic.task')}
                data={tasksFor(vocabulary, draft.dataType)}
                required
                value={draft.taskType}
                error={errors.taskType}
                onChange={(value) => {
                  set('taskType', value);
                }}
              />
              <Select
                label={t('semantic.library')}
                data={vocabulary.library_types}
                required
                value={draft.libraryType}
                error={errors.libraryType}
                onChange={(value) => {
                  set('libraryType', value);
                }}
              />
              <Select
                label={t('semantic.license')}
                data={vocabulary.licenses}
                required
                value={draft.license}
                error={errors.license}
                onChange={(value) => {
                  set('license', value);
                }}
              />
            </SimpleGrid>
            <MultiSelect
              label={t('semantic.scenario')}
              data={vocabulary.scenarios}
              required
              value={draft.scenarios}
              error={errors.scenarios}
              onChange={(value) => {
                set('scenarios', value);
              }}
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('submit.steps.io')}>
          <Stack>
            {!needsInput(draft) && !needsOutput(draft) && <Text>{t('submit.io.none')}</Text>}
            {needsInput(draft) && (
              <Paper withBorder p="sm" component="fieldset">
                <Title order={3} size="h5" component="legend">
                  {t('learnware.input')}
                </Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('submit.io.inputHelp')}
                </Text>
                <NumberInput
                  label={t('submit.io.inputDimension')}
                  min={1}
                  max={100_000}
                  allowDecimal={false}
                  required
                  value={draft.inputDimension || ''}
                  error={errors.inputDimension}
                  onChange={(value) => {
                    set('inputDimension', typeof value === 'number' ? value : 0);
                  }}
                  mb="xs"
                />
                <DescriptionRows
                  label={(index) => t('submit.io.feature', { index })}
                  dimension={draft.inputDimension}
                  texts={draft.inputDescriptions}
                  onChange={(texts) => {
                    set('inputDescriptions', texts);
                  }}
                />
              </Paper>
            )}
            {needsOutput(draft) && (
              <Paper withBorder p="sm" component="fieldset">
                <Title order={3} size="h5" component="legend">
                  {t('learnware.output')}
                </Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {draft.taskType === 'Classification'
                    ? t('submit.io.classesHelp')
                    : t('submit.io.targetsHelp')}
                </Text>
                <NumberInput
                  label={
                    draft.taskType === 'Classification'
                      ? t('submit.io.classes')
                      : t('submit.io.outputDimension')
                  }
                  min={1}
                  max={100_000}
                  allowDecimal={false}
                  required
                  value={draft.outputDimension || ''}
                  error={errors.outputDimension}
                  onChange={(value) => {
                    set('outputDimension', typeof value === 'number' ? value : 0);
                  }}
                  mb="xs"
                />
                <DescriptionRows
                  label={(index) =>
                    draft.taskType === 'Classification'
                      ? t('submit.io.class', { index })
                      : t('submit.io.target', { index })
                  }
                  dimension={draft.outputDimension}
                  texts={draft.outputDescriptions}
                  onChange={(texts) => {
                    set('outputDescriptions', texts);
                  }}
                />
              </Paper>
            )}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('submit.steps.description')}>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Textarea
              label={t('submit.fields.description')}
              description={t('submit.fields.descriptionHelp', DESCRIPTION_LENGTH)}
              required
              autosize
              minRows={12}
              maxRows={24}
              value={draft.description}
              error={errors.description}
              onChange={(event) => {
                set('description', event.currentTarget.value);
              }}
            />
            <Paper withBorder p="sm" component="section" aria-label={t('submit.preview')}>
              <Text size="xs" c="dimmed" mb="xs">
                {t('submit.preview')}
              </Text>
              {draft.description ? (
                <Markdown>{draft.description}</Markdown>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('submit.previewEmpty')}
                </Text>
              )}
            </Paper>
          </SimpleGrid>
        </Stepper.Step>

        <Stepper.Step label={t('submit.steps.package')}>
          <Stack>
            <PackageField
              dataType={dataType}
              inputDimension={needsInput(draft) ? draft.inputDimension : undefined}
              onChange={setPkg}
            />
            {create.isPending && <UploadProgress progress={progress} />}
            {create.isError && (
              <Alert color="red" role="alert" title={t('submit.uploadFailed')}>
                {create.error.message}
              </Alert>
            )}
          </Stack>
        </Stepper.Step>
      </Stepper>

      <Group justify="space-between">
        <Button variant="default" onClick={back} disabled={step === 0 || create.isPending}>
          {t('common.back')}
        </Button>
        {step < 3 ? (
          <Button onClick={next}>{t('common.next')}</Button>
        ) : (
          <Button onClick={upload} disabled={!pkg} loading={create.isPending}>
            {t('submit.upload')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
