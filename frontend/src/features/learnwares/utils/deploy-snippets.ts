// Copyable code that runs learnwares on the user's machine with the project's Python client
// (learnware_core.client.Client.load → DeployedLearnware, learnware_core.reuse reusers) and the
// `bmw` CLI. The reuser choice mirrors the bundle's run.py (market/bundles.py default_reuser).

type Kind = { data_type: string; task_type: string };

export type ReuserChoice = {
  reuser: 'JobSelectorReuser' | 'AveragingReuser';
  /** AveragingReuser's mode (also the CLI's --mode). */
  mode: 'mean' | 'vote_by_label';
};

/** Routing by RKME (JobSelectorReuser) for table learnwares with mixture weights; otherwise
 * averaging, voting by label for classifiers. */
export function chooseReuser(learnwares: Kind[], weights?: number[] | null): ReuserChoice {
  const classify = learnwares.every((lw) => lw.task_type === 'Classification');
  const mode = classify ? 'vote_by_label' : 'mean';
  const table = learnwares.every((lw) => lw.data_type === 'Table');
  return { reuser: weights && table ? 'JobSelectorReuser' : 'AveragingReuser', mode };
}

/** A weight as a short Python float literal. */
const weight = (value: number) => String(Number(value.toFixed(4)));
const pyList = (values: (number | string)[]) => `[${values.join(', ')}]`;

export function pythonSingleSnippet(origin: string, id: number): string {
  return [
    '# pip install beimingwu',
    'from learnware_core.client import Client',
    '',
    `client = Client(${JSON.stringify(origin)})`,
    `[learnware] = client.load([${id.toString()}])`,
    'with learnware:',
    '    y = learnware.predict(X)  # X: your rows, a numpy array',
  ].join('\n');
}

export function pythonMultipleSnippet(
  origin: string,
  ids: number[],
  weights: number[] | null | undefined,
  choice: ReuserChoice,
): string {
  const args = ['learnwares'];
  if (choice.reuser === 'AveragingReuser') args.push(`mode=${JSON.stringify(choice.mode)}`);
  if (weights) args.push(`weights=${pyList(weights.map(weight))}`);
  if (choice.reuser === 'JobSelectorReuser') args.push('random_state=0');
  return [
    '# pip install beimingwu',
    'from learnware_core.client import Client',
    `from learnware_core.reuse import ${choice.reuser}`,
    '',
    `client = Client(${JSON.stringify(origin)})`,
    `learnwares = client.load(${pyList(ids)})`,
    'try:',
    `    reuser = ${choice.reuser}(${args.join(', ')}).fit()`,
    '    y = reuser.predict(X)  # X: your rows, a numpy array',
    'finally:',
    '    for learnware in learnwares:',
    '        learnware.close()',
  ].join('\n');
}

export function cliSnippet(origin: string, ids: number[], choice?: ReuserChoice): string {
  const mode = ids.length > 1 && choice ? ` --mode ${choice.mode}` : '';
  return [
    'pip install beimingwu',
    `bmw login --url ${origin}`,
    ...(ids.length === 1 ? [`bmw download ${ids.join(' ')}`] : []),
    `bmw deploy ${ids.join(' ')} --predict input.csv -o predictions.csv${mode}`,
  ].join('\n');
}

export const bundleCommands = ['pip install -r requirements.txt', 'python run.py input.csv'].join(
  '\n',
);
