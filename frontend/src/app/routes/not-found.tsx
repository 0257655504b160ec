import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useLocation } from 'react-router';

import { paths } from '@/config/paths';

export function NotFoundRoute() {
  useDocumentTitle('Page not found · Beimingwu');
  const { pathname } = useLocation();

  return (
    <Stack gap="sm" py="md">
      <Title order={1}>Page not found</Title>
      <Text>
        There is no page at <code>{pathname}</code>.
      </Text>
      <Anchor component={Link} to={paths.home.path}>
        Back to the home page
      </Anchor>
    </Stack>
  );
}
