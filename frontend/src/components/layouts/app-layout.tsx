import { AppShell, Burger, Container, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink, Link, Outlet } from 'react-router';

import { ColorSchemeToggle } from '@/components/ui/color-scheme-toggle';
import { apiDocsUrl, paths } from '@/config/paths';

import classes from './app-layout.module.css';

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <>
      {Object.values(paths).map(({ path, label }) => (
        <NavLink key={path} to={path} end className={classes.link} onClick={onNavigate}>
          {label}
        </NavLink>
      ))}
      {/* Served by Django (Swagger UI), so a plain link that leaves the app. */}
      <a href={apiDocsUrl} className={classes.link}>
        Docs
      </a>
    </>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Link to={paths.home.path} className={classes.brand}>
              Beimingwu
            </Link>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Group component="nav" aria-label="Main" gap={4} visibleFrom="sm">
              <NavLinks />
            </Group>
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="md">
        {/* Only mounted while open, so the off-screen copy is never in the tab order. */}
        {opened && (
          <Stack component="nav" aria-label="Main (mobile)" gap={4}>
            <NavLinks onNavigate={close} />
          </Stack>
        )}
      </AppShell.Navbar>

      <AppShell.Main>
        <Container size="lg">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
