// The semantic-specification vocabularies of the original learnware package
// (learnware/config.py `semantic_config`), copied from
// /work/shared/docs/learnware-reference.md §2.1 and beimingwu-reference.md §5.3.
// TEMPORARY: the API has no vocabulary endpoint yet (`/api/compat/v1/engine/semantic_specification`
// is being added); once it is in openapi.yaml, fetch these from it instead.

export const DATA_TYPES = ['Table', 'Image', 'Text'] as const;
export const TASK_TYPES = [
  'Classification',
  'Regression',
  'Feature Extraction',
  'Segmentation',
  'Object Detection',
  'Others',
] as const;
export const LIBRARY_TYPES = ['Scikit-learn', 'PyTorch', 'TensorFlow', 'Others'] as const;
export const SCENARIOS = [
  'Business',
  'Financial',
  'Health',
  'Politics',
  'Computer',
  'Internet',
  'Traffic',
  'Nature',
  'Fashion',
  'Industry',
  'Agriculture',
  'Education',
  'Entertainment',
  'Architecture',
  'Others',
] as const;
export const LICENSES = [
  'AFL-3.0',
  'AGPL-3.0',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'ECL-2.0',
  'GPL-2.0',
  'GPL-3.0',
  'LGPL-2.1',
  'LGPL-3.0',
  'MIT',
  'Others',
] as const;

export type DataType = (typeof DATA_TYPES)[number];

export const NAME_LENGTH = { min: 5, max: 50 } as const;
export const DESCRIPTION_LENGTH = { min: 10, max: 10_000 } as const;

/** The statistical specification class each data type needs (learnware-reference §1.4). */
export const STAT_SPEC_TYPES: Record<DataType, readonly string[]> = {
  Table: ['RKMETableSpecification', 'RKMEStatSpecification'],
  Image: ['RKMEImageSpecification'],
  Text: ['RKMETextSpecification'],
};

/** Tasks whose semantic spec carries an Output description. */
export const TASKS_WITH_OUTPUT: readonly string[] = ['Classification', 'Regression'];

export type SemanticEntry = { Type: string; Values: string[] | string };
export type IoDescription = { Dimension: number; Description: Record<string, string> };

/** The semantic specification in the original layout (learnware-reference §2.1). */
export type SemanticSpec = {
  Data: SemanticEntry;
  Task: SemanticEntry;
  Library: SemanticEntry;
  Scenario: SemanticEntry;
  License: SemanticEntry;
  Name: SemanticEntry;
  Description: SemanticEntry;
  Model?: SemanticEntry;
  Input?: IoDescription;
  Output?: IoDescription;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The API types semantic_spec as `unknown`; read it defensively. */
export const asSemanticSpec = (value: unknown): Partial<SemanticSpec> =>
  isRecord(value) ? value : {};

/** The values of a Class/Tag entry as a list (a String entry gives one item). */
export const specValues = (entry: SemanticEntry | undefined): string[] => {
  if (!entry) return [];
  return Array.isArray(entry.Values) ? entry.Values.map(String) : [String(entry.Values)];
};

/** The text of a String entry. */
export const specText = (entry: SemanticEntry | undefined): string => {
  if (!entry) return '';
  return Array.isArray(entry.Values) ? entry.Values.join(', ') : String(entry.Values);
};
