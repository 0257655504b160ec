import {
  Anchor,
  Button,
  Card,
  Group,
  List,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { apiDocsUrl, paths } from '@/config/paths';
import { DockStatusCard } from '@/features/dock-status/components/dock-status-card';

const STEPS = ['submit', 'search', 'deploy'] as const;

export function HomeRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('home.title'));

  return (
    <Stack gap="xl" py="md">
      <Stack gap="sm">
        <Title order={1}>{t('home.title')}</Title>
        <Text size="lg">
          <Trans i18nKey="home.intro" components={{ strong: <strong /> }} />
        </Text>
        <List spacing="xs">
          <List.Item>
            <Trans i18nKey="home.semantic" components={{ strong: <strong /> }} />
          </List.Item>
          <List.Item>
            <Trans i18nKey="home.statistical" components={{ strong: <strong /> }} />
          </List.Item>
        </List>
        <Group>
          <Button component={Link} to={paths.learnwares.path}>
            {t('home.tryIt')}
          </Button>
          <Button component={Link} to={paths.submit.path} variant="default">
            {t('home.beDeveloper')}
          </Button>
        </Group>
      </Stack>

      <section aria-labelledby="how-it-works">
        <Title order={2} size="h3" id="how-it-works" mb="sm">
          {t('home.howItWorks')}
        </Title>
        <SimpleGrid
          component="ol"
          cols={{ base: 1, sm: 3 }}
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {STEPS.map((step, index) => (
            <Card component="li" key={step} withBorder padding="lg">
              <ThemeIcon radius="xl" size="lg" mb="sm" aria-hidden="true">
                {index + 1}
              </ThemeIcon>
              <Title order={3} size="h4" mb={4}>
                {t(`home.steps.${step}.title`)}
              </Title>
              <Text size="sm">{t(`home.steps.${step}.text`)}</Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <DockStatusCard />

      <Text size="sm" c="dimmed">
        <Trans i18nKey="home.developers" components={{ docs: <Anchor href={apiDocsUrl} /> }} />
      </Text>
    </Stack>
  );
}
