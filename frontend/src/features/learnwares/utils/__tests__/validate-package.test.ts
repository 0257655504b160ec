import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';

import { validatePackage } from '../validate-package';

const YAML = `model:
  class_name: Model
  kwargs: {}
  input_shape: !!python/tuple
  - 3
stat_specifications:
- module_path: learnware.specification
  class_name: RKMETableSpecification
  file_name: stat.json
  kwargs: {}
`;

const stat = (type = 'RKMETableSpecification', width = 3) =>
  JSON.stringify({ type, z: [Array<number>(width).fill(0.5)], beta: [1], gamma: 0.1 });

const zip = (files: Record<string, string>) =>
  new File(
    [
      zipSync(
        Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])),
      ),
    ],
    'learnware.zip',
    { type: 'application/zip' },
  );

const good = {
  'learnware.yaml': YAML,
  '__init__.py': 'class Model: ...',
  'requirements.txt': 'scikit-learn',
  'stat.json': stat(),
};

const codes = async (file: Blob, inputDimension = 3, dataType: 'Table' | 'Image' = 'Table') =>
  (await validatePackage(file, { dataType, inputDimension })).problems.map((p) => p.code);

describe('validatePackage', () => {
  test('accepts the official layout, at the root or in one top folder', async () => {
    expect(await codes(zip(good))).toEqual([]);
    const nested = Object.fromEntries(Object.entries(good).map(([k, v]) => [`iris/${k}`, v]));
    const check = await validatePackage(zip({ ...nested, '__MACOSX/._x': '' }), {
      dataType: 'Table',
      inputDimension: 3,
    });
    expect(check.problems).toEqual([]);
    expect(check.root).toBe('iris/');
    expect(check.statTypes).toEqual(['RKMETableSpecification']);
  });

  test('rejects a zip without learnware.yaml, and a file that is no zip', async () => {
    const withoutYaml = Object.fromEntries(
      Object.entries(good).filter(([name]) => name !== 'learnware.yaml'),
    );
    expect(await codes(zip(withoutYaml))).toEqual(['missingYaml']);
    expect(await codes(new File([strToU8('not a zip')], 'x.zip'))).toEqual(['notZip']);
  });

  test('names the missing __init__.py, environment and statistical specification', async () => {
    expect(await codes(zip({ 'learnware.yaml': YAML, 'model.pkl': 'x' }))).toEqual([
      'missingInit',
      'missingEnv',
      'missingStatFile',
    ]);
  });

  test('checks the specification type against the data type and its width against Input', async () => {
    expect(await codes(zip(good), 3, 'Image')).toEqual(['wrongStatType']);
    expect(await codes(zip(good), 5)).toEqual(['wrongDimension']);
    expect(await codes(zip({ ...good, 'stat.json': '{oops' }))).toEqual(['badStatJson']);
  });

  test('reads learnware.yaml without running tags, and reports YAML errors', async () => {
    const evil = `${YAML}x: !!python/object/apply:os.system ["rm -rf /"]\n`;
    expect(await codes(zip({ ...good, 'learnware.yaml': evil }))).toEqual([]);
    expect(await codes(zip({ ...good, 'learnware.yaml': 'model: [unclosed' }))).toEqual([
      'badYaml',
    ]);
    expect(await codes(zip({ ...good, 'learnware.yaml': 'model: {}\n' }))).toEqual(['noStatSpec']);
  });
});
