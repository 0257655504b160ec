import { unzipSync } from 'fflate';
import { parseDocument, type ScalarTag, type CollectionTag } from 'yaml';

import { type DataType, STAT_SPEC_TYPES } from '@/config/semantic';

/** One thing wrong with a package; `code` names the message in `submit.problems.*`. */
export type PackageProblem = {
  code:
    | 'notZip'
    | 'missingYaml'
    | 'missingInit'
    | 'missingEnv'
    | 'badYaml'
    | 'noStatSpec'
    | 'missingStatFile'
    | 'badStatJson'
    | 'wrongStatType'
    | 'wrongDimension';
  params?: Record<string, string | number>;
};

export type PackageCheck = {
  problems: PackageProblem[];
  /** The folder inside the zip holding learnware.yaml ('' for the root). */
  root: string;
  files: string[];
  statTypes: string[];
};

// learnware.yaml written by PyYAML may hold `!!python/tuple` (e.g. input_shape). Read it as a
// plain list; every other tag stays unresolved data. The `yaml` package never runs code for a
// tag, unlike PyYAML's unsafe loaders, so `!!python/object/apply:...` is harmless here.
const pythonTuple: CollectionTag = {
  tag: 'tag:yaml.org,2002:python/tuple',
  collection: 'seq',
  resolve: (seq) => seq,
};
const customTags: (ScalarTag | CollectionTag)[] = [pythonTuple];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const decoder = new TextDecoder();

/** Entries that are not part of the package: folders and macOS Finder litter. */
const isNoise = (name: string) =>
  name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').pop() === '.DS_Store';

/** Where learnware.yaml is: the zip root, or a single top folder holding everything. */
function findRoot(files: string[]): string | null {
  if (files.includes('learnware.yaml')) return '';
  const tops = new Set(files.map((name) => name.split('/')[0]));
  if (tops.size !== 1) return null;
  const [top] = [...tops];
  const root = `${top ?? ''}/`;
  return files.includes(`${root}learnware.yaml`) ? root : null;
}

const readBytes = async (file: Blob): Promise<Uint8Array> => {
  if (typeof file.arrayBuffer === 'function') return new Uint8Array(await file.arrayBuffer());
  // Older engines (and jsdom) may lack Blob.arrayBuffer.
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(new Uint8Array(reader.result as ArrayBuffer));
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('read failed'));
    };
    reader.readAsArrayBuffer(file);
  });
};

/** The width of a table RKME's reduced set `z` (K×d), or null if `z` is not a matrix. */
const zWidth = (z: unknown): number | null => {
  if (!Array.isArray(z) || z.length === 0) return null;
  const first: unknown = z[0];
  return Array.isArray(first) ? first.length : null;
};

/**
 * Check a learnware zip in the browser before uploading it (the server checks it again):
 * learnware.yaml, __init__.py and requirements.txt or environment.yaml exist (at the root or
 * inside one top folder); every statistical specification learnware.yaml names exists and is
 * JSON; one of them suits the data type; and a table RKME has `inputDimension` columns.
 */
export async function validatePackage(
  file: Blob,
  expected: { dataType: DataType; inputDimension?: number | undefined },
): Promise<PackageCheck> {
  const check: PackageCheck = { problems: [], root: '', files: [], statTypes: [] };
  const problem = (code: PackageProblem['code'], params?: PackageProblem['params']) => {
    check.problems.push(params ? { code, params } : { code });
    return check;
  };

  const bytes = await readBytes(file);
  let yamlText: string;
  try {
    // First pass: list the names, inflating only the candidate learnware.yaml files.
    const names: string[] = [];
    const yamlFiles = unzipSync(bytes, {
      filter: (entry) => {
        names.push(entry.name);
        return (
          entry.name.split('/').pop() === 'learnware.yaml' && entry.name.split('/').length <= 2
        );
      },
    });
    check.files = names.filter((name) => !isNoise(name));
    const root = findRoot(check.files);
    if (root === null) return problem('missingYaml');
    check.root = root;
    const yamlBytes = yamlFiles[`${root}learnware.yaml`];
    yamlText = yamlBytes ? decoder.decode(yamlBytes) : '';
  } catch {
    return problem('notZip');
  }

  const has = (name: string) => check.files.includes(check.root + name);
  if (!has('__init__.py')) problem('missingInit');
  if (!has('requirements.txt') && !has('environment.yaml') && !has('environment.yml')) {
    problem('missingEnv');
  }

  const doc = parseDocument(yamlText, { customTags, prettyErrors: false });
  if (doc.errors.length > 0) {
    return problem('badYaml', { detail: doc.errors[0]?.message ?? '' });
  }
  const config: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isRecord(config)) return problem('badYaml', { detail: 'not a mapping' });

  const specs = Array.isArray(config.stat_specifications) ? config.stat_specifications : [];
  const fileNames = specs
    .map((spec) => (isRecord(spec) ? spec.file_name : undefined))
    .filter((name): name is string => typeof name === 'string' && name.length > 0);
  if (fileNames.length === 0) return problem('noStatSpec');

  const missing = fileNames.filter((name) => !has(name));
  for (const name of missing) problem('missingStatFile', { file: name });
  const present = fileNames.filter((name) => has(name));
  if (present.length === 0) return check;

  const wanted = new Set(present.map((name) => check.root + name));
  const statFiles = unzipSync(bytes, { filter: (entry) => wanted.has(entry.name) });
  const allowed = STAT_SPEC_TYPES[expected.dataType];
  let suitable = false;
  for (const name of present) {
    const raw = statFiles[check.root + name];
    let stat: unknown;
    try {
      stat = JSON.parse(raw ? decoder.decode(raw) : '');
    } catch {
      problem('badStatJson', { file: name });
      continue;
    }
    const type = isRecord(stat) && typeof stat.type === 'string' ? stat.type : '';
    check.statTypes.push(type);
    if (!allowed.includes(type)) continue;
    suitable = true;
    if (expected.dataType === 'Table' && expected.inputDimension !== undefined && isRecord(stat)) {
      const width = zWidth(stat.z);
      if (width !== expected.inputDimension) {
        problem('wrongDimension', {
          file: name,
          found: width ?? 0,
          expected: expected.inputDimension,
        });
      }
    }
  }
  if (!suitable && !check.problems.some((p) => p.code === 'badStatJson')) {
    problem('wrongStatType', {
      found: check.statTypes.join(', ') || '—',
      expected: allowed.join(' / '),
      dataType: expected.dataType,
    });
  }
  return check;
}
