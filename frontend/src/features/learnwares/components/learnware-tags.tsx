import { Badge, Group } from '@mantine/core';

import type { Learnware } from '../api/get-learnwares';

/** The semantic tags of a learnware as badges: data, task, library, scenarios, license. */
export function LearnwareTags({ learnware }: { learnware: Learnware }) {
  return (
    <Group gap={6}>
      {learnware.data_type && <Badge variant="filled">{learnware.data_type}</Badge>}
      {learnware.task_type && (
        <Badge variant="light" color="grape">
          {learnware.task_type}
        </Badge>
      )}
      {learnware.library_type && (
        <Badge variant="light" color="cyan">
          {learnware.library_type}
        </Badge>
      )}
      {learnware.scenarios.map((scenario) => (
        <Badge key={scenario} variant="outline" color="gray">
          {scenario}
        </Badge>
      ))}
      {learnware.license && (
        <Badge variant="dot" color="gray">
          {learnware.license}
        </Badge>
      )}
    </Group>
  );
}
