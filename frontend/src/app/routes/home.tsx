import { Anchor, List, SimpleGrid, Stack, Text, ThemeIcon, Title, Card } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

import { apiDocsUrl } from '@/config/paths';
import { DockStatusCard } from '@/features/dock-status/components/dock-status-card';

const STEPS = [
  {
    title: 'Submit',
    text: 'Upload a model package with its semantic and statistical specifications. The dock checks that the model loads and that the specifications match it before listing it.',
  },
  {
    title: 'Search',
    text: 'Describe your task with a semantic specification and, optionally, an RKME of your own data. The dock filters by the former and ranks learnwares by how close their RKMEs are to yours.',
  },
  {
    title: 'Deploy',
    text: 'Download the learnwares that fit and reuse them on your data, one alone or several combined, without anyone having shared their training data.',
  },
] as const;

export function HomeRoute() {
  useDocumentTitle('Beimingwu learnware dock');

  return (
    <Stack gap="xl" py="md">
      <Stack gap="sm">
        <Title order={1}>Beimingwu learnware dock</Title>
        <Text size="lg">
          A <strong>learnware</strong> is a trained model together with a{' '}
          <strong>specification</strong> that says what the model is for, so that others can find it
          and reuse it without seeing the data it was trained on.
        </Text>
        <List spacing="xs">
          <List.Item>
            <strong>Semantic specification</strong>: a structured description of the task, data
            type, domain, input and output, and a free-text summary.
          </List.Item>
          <List.Item>
            <strong>Statistical specification</strong>: a reduced kernel mean embedding (RKME), a
            small weighted set of points that summarises the training distribution without revealing
            the training data.
          </List.Item>
        </List>
      </Stack>

      <section aria-labelledby="how-it-works">
        <Title order={2} size="h3" id="how-it-works" mb="sm">
          How it works
        </Title>
        <SimpleGrid
          component="ol"
          cols={{ base: 1, sm: 3 }}
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {STEPS.map((step, index) => (
            <Card component="li" key={step.title} withBorder padding="lg">
              <ThemeIcon radius="xl" size="lg" mb="sm" aria-hidden="true">
                {index + 1}
              </ThemeIcon>
              <Title order={3} size="h4" mb={4}>
                {step.title}
              </Title>
              <Text size="sm">{step.text}</Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <DockStatusCard />

      <Text size="sm" c="dimmed">
        Developers: the HTTP API is described in the <Anchor href={apiDocsUrl}>API docs</Anchor>.
      </Text>
    </Stack>
  );
}
