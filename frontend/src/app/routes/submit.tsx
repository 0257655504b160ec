import { Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

export function SubmitRoute() {
  useDocumentTitle('Submit a learnware · Beimingwu');

  return (
    <Stack gap="sm" py="md">
      <Title order={1}>Submit a learnware</Title>
      <Text>
        Submitting is not open yet. A submission will be a package holding the model, its semantic
        specification and its RKME statistical specification; the dock will check it before listing
        it.
      </Text>
    </Stack>
  );
}
