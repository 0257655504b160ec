import { Alert, FileInput, List, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { DataType } from '@/config/semantic';
import { formatBytes } from '@/utils/format';

import { type PackageCheck, validatePackage } from '../utils/validate-package';

export type PackageState = { file: File; check: PackageCheck } | null;

/** Picks a learnware zip and checks it in the browser; reports the file only when it passes. */
export function PackageField({
  dataType,
  inputDimension,
  onChange,
}: {
  dataType: DataType;
  inputDimension?: number | undefined;
  onChange: (state: PackageState) => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<PackageCheck | null>(null);
  const [checking, setChecking] = useState(false);

  const pick = async (picked: File | null) => {
    setFile(picked);
    setCheck(null);
    onChange(null);
    if (!picked) return;
    setChecking(true);
    try {
      const result = await validatePackage(picked, { dataType, inputDimension });
      setCheck(result);
      if (result.problems.length === 0) onChange({ file: picked, check: result });
    } finally {
      setChecking(false);
    }
  };

  return (
    <Stack gap="xs">
      <FileInput
        label={t('submit.package.label')}
        description={t('submit.package.help')}
        placeholder={t('submit.package.placeholder')}
        accept=".zip,application/zip"
        clearable
        value={file}
        onChange={(picked) => {
          void pick(picked);
        }}
      />
      {checking && <Loader size="sm" aria-label={t('submit.package.checking')} />}
      {file && check && check.problems.length > 0 && (
        <Alert color="red" title={t('submit.package.invalid')} role="alert">
          <List size="sm">
            {check.problems.map((problem, index) => (
              <List.Item key={index}>
                {t(`submit.problems.${problem.code}`, problem.params ?? {})}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {file && check?.problems.length === 0 && (
        <Alert color="teal" title={t('submit.package.valid')} role="status">
          <Text size="sm">
            {t('submit.package.summary', {
              name: file.name,
              size: formatBytes(file.size),
              files: check.files.length,
              types: check.statTypes.join(', '),
            })}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
