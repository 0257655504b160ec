// Types and helpers for the semantic specification in the original learnware layout
// (learnware-reference §2.1). The allowed tag values (data, task, library, scenario, license)
// and the name/description lengths come from the API: `useSemanticVocabulary()` in
// features/learnwares/api/get-semantic-vocabulary.ts.

/** The data types this app knows a statistical specification for. */
export type DataType = 'Table' | 'Image' | 'Text';

/** The statistical specification class each data type needs (learnware-reference §1.4). */
export const STAT_SPEC_TYPES: Record<DataType, readonly string[]> = {
  Table: ['RKMETableSpecification', 'RKMEStatSpecification'],
  Image: ['RKMEImageSpecification'],
  Text: ['RKMETextSpecification'],
};

export const isDataType = (value: unknown): value is DataType =>
  typeof value === 'string' && Object.hasOwn(STAT_SPEC_TYPES, value);

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
