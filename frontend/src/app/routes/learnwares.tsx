import { Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

export function LearnwaresRoute() {
  useDocumentTitle('Browse learnwares · Beimingwu');

  return (
    <Stack gap="sm" py="md">
      <Title order={1}>Browse learnwares</Title>
      <Text>
        The market is coming. Once learnwares can be submitted, this page will list them and let you
        search by semantic specification and by statistical specification (RKME).
      </Text>
    </Stack>
  );
}
