import {
  type DataType,
  type IoDescription,
  type SemanticSpec,
  TASKS_WITH_OUTPUT,
} from '@/config/semantic';

/** What the submit wizard collects. */
export type Draft = {
  name: string;
  dataType: DataType | null;
  taskType: string | null;
  libraryType: string | null;
  scenarios: string[];
  license: string | null;
  inputDimension: number;
  inputDescriptions: string[];
  outputDimension: number;
  outputDescriptions: string[];
  description: string;
};

export const emptyDraft: Draft = {
  name: '',
  dataType: null,
  taskType: null,
  libraryType: null,
  scenarios: [],
  license: null,
  inputDimension: 0,
  inputDescriptions: [],
  outputDimension: 0,
  outputDescriptions: [],
  description: '',
};

export const needsInput = (draft: Pick<Draft, 'dataType'>) => draft.dataType === 'Table';
export const needsOutput = (draft: Pick<Draft, 'taskType'>) =>
  draft.taskType !== null && TASKS_WITH_OUTPUT.includes(draft.taskType);

const ioDescription = (dimension: number, texts: string[]): IoDescription => ({
  Dimension: dimension,
  Description: Object.fromEntries(
    texts
      .slice(0, dimension)
      .map((text, index) => [String(index), text.trim()] as const)
      .filter(([, text]) => text.length > 0),
  ),
});

/** The semantic specification in the original layout (learnware-reference §2.1, 0.4 form). */
export function buildSemanticSpec(draft: Draft): SemanticSpec {
  const spec: SemanticSpec = {
    Data: { Type: 'Class', Values: draft.dataType ? [draft.dataType] : [] },
    Task: { Type: 'Class', Values: draft.taskType ? [draft.taskType] : [] },
    // 0.4 checkers require the optional Model key; for Table and Image it must be Others.
    Model: { Type: 'Optional', Values: ['Others'] },
    Library: { Type: 'Class', Values: draft.libraryType ? [draft.libraryType] : [] },
    Scenario: { Type: 'Tag', Values: draft.scenarios },
    License: { Type: 'Class', Values: draft.license ? [draft.license] : [] },
    Name: { Type: 'String', Values: draft.name.trim() },
    Description: { Type: 'String', Values: draft.description },
  };
  if (needsInput(draft)) spec.Input = ioDescription(draft.inputDimension, draft.inputDescriptions);
  if (needsOutput(draft)) {
    spec.Output = ioDescription(draft.outputDimension, draft.outputDescriptions);
  }
  return spec;
}
