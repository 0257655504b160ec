import { AppShell, Burger, Container, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Link, Outlet } from 'react-router';

import { ColorSchemeToggle } from '@/components/ui/color-scheme-toggle';
import { LanguageSwitcher } from '@/components/ui/language-switcher';
import { apiDocsUrl, paths } from '@/config/paths';

import classes from './app-layout.module.css';

export type NavItem = { to: string; label: string };

function NavLinks({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {items.map(({ to, label }) => (
        <NavLink key={to} to={to} end className={classes.link} onClick={onNavigate}>
          {label}
        </NavLink>
      ))}
      {/* Served by Django (Swagger UI), so a plain link that leaves the app. */}
      <a href={apiDocsUrl} className={classes.link}>
        {t('nav.docs')}
      </a>
    </>
  );
}

/** The app shell: header with nav, language, colour scheme and `actions` (account, bell). */
export function AppLayout({ nav, actions }: { nav: NavItem[]; actions?: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.closeNav') : t('nav.openNav')}
            />
            <Link to={paths.home.path} className={classes.brand}>
              {t('nav.brand')}
            </Link>
          </Group>
          <Group gap={6} wrap="nowrap">
            <Group component="nav" aria-label={t('nav.main')} gap={4} visibleFrom="sm">
              <NavLinks items={nav} />
            </Group>
            {actions}
            <LanguageSwitcher />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="md">
        {/* Only mounted while open, so the off-screen copy is never in the tab order. */}
        {opened && (
          <Stack component="nav" aria-label={t('nav.mainMobile')} gap={4}>
            <NavLinks items={nav} onNavigate={close} />
          </Stack>
        )}
      </AppShell.Navbar>

      <AppShell.Main>
        <Container size="lg" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
