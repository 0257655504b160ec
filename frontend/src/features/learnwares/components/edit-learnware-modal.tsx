import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { asSemanticSpec, specText, specValues } from '@/config/semantic';

import type { Learnware } from '../api/get-learnwares';
import {
  lengthRange,
  type SemanticVocabulary,
  useSemanticVocabulary,
} from '../api/get-semantic-vocabulary';
import { useUpdateLearnware } from '../api/update-learnware';

/**
 * Edits the name, description, library, scenarios and license. The edit is a new version of
 * the same package, checked and reviewed like an upload: a listed learnware keeps showing its
 * approved text until a reviewer approves it. Data, task, input and output stay as they are.
 */
type Props = { learnware: Learnware; opened: boolean; onClose: () => void };

export function EditLearnwareModal({ learnware, opened, onClose }: Props) {
  const { t } = useTranslation();
  const vocabulary = useSemanticVocabulary();
  return (
    <Modal opened={opened} onClose={onClose} title={t('learnware.edit.title')} size="lg">
      {vocabulary.isPending && <Loader aria-label={t('common.loading')} />}
      {vocabulary.isError && (
        <Alert color="red" role="alert" title={t('semantic.loadFailed')}>
          {vocabulary.error.message}
        </Alert>
      )}
      {vocabulary.data && (
        <EditLearnwareForm learnware={learnware} onClose={onClose} vocabulary={vocabulary.data} />
      )}
    </Modal>
  );
}

function EditLearnwareForm({
  learnware,
  onClose,
  vocabulary,
}: {
  learnware: Learnware;
  onClose: () => void;
  vocabulary: SemanticVocabulary;
}) {
  const { t } = useTranslation();
  const NAME_LENGTH = lengthRange(vocabulary.name_length);
  const DESCRIPTION_LENGTH = lengthRange(vocabulary.description_length);
  const spec = asSemanticSpec(learnware.semantic_spec);
  const update = useUpdateLearnware(learnware.id);
  const [name, setName] = useState(specText(spec.Name) || learnware.name);
  const [description, setDescription] = useState(specText(spec.Description));
  const [library, setLibrary] = useState<string | null>(specValues(spec.Library)[0] ?? null);
  const [scenarios, setScenarios] = useState<string[]>(specValues(spec.Scenario));
  const [license, setLicense] = useState<string | null>(specValues(spec.License)[0] ?? null);

  const nameOk = name.trim().length >= NAME_LENGTH.min && name.trim().length <= NAME_LENGTH.max;
  const descriptionOk =
    description.length >= DESCRIPTION_LENGTH.min && description.length <= DESCRIPTION_LENGTH.max;
  const ok = nameOk && descriptionOk && library && license && scenarios.length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ok) return;
    update.mutate(
      {
        ...spec,
        Name: { Type: 'String', Values: name.trim() },
        Description: { Type: 'String', Values: description },
        Library: { Type: 'Class', Values: [library] },
        Scenario: { Type: 'Tag', Values: scenarios },
        License: { Type: 'Class', Values: [license] },
      },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('learnware.edit.reviewed')}
        </Text>
        <TextInput
          label={t('submit.fields.name')}
          value={name}
          required
          error={nameOk ? undefined : t('submit.errors.nameLength', NAME_LENGTH)}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
        />
        <Select
          label={t('semantic.library')}
          data={vocabulary.library_types}
          value={library}
          onChange={setLibrary}
          required
        />
        <MultiSelect
          label={t('semantic.scenario')}
          data={vocabulary.scenarios}
          value={scenarios}
          onChange={setScenarios}
          required
        />
        <Select
          label={t('semantic.license')}
          data={vocabulary.licenses}
          value={license}
          onChange={setLicense}
          required
        />
        <Textarea
          label={t('submit.fields.description')}
          value={description}
          autosize
          minRows={6}
          required
          error={
            descriptionOk ? undefined : t('submit.errors.descriptionLength', DESCRIPTION_LENGTH)
          }
          onChange={(event) => {
            setDescription(event.currentTarget.value);
          }}
        />
        {update.isError && (
          <Alert color="red" role="alert">
            {update.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!ok}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
