import { Button, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

import { paths } from '@/config/paths';

import { isStaff, useMe } from '../api/get-me';
import { useLogout } from '../api/logout';

/** Sign-in links when signed out; the account menu when signed in. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();

  if (me.isPending) return null;
  const user = me.data;
  if (!user) {
    return (
      <Group gap={4} wrap="nowrap">
        <Button component={Link} to={paths.login.path} variant="subtle" size="compact-sm">
          {t('nav.signIn')}
        </Button>
        <Button component={Link} to={paths.register.path} size="compact-sm" visibleFrom="xs">
          {t('nav.register')}
        </Button>
      </Group>
    );
  }

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('nav.accountMenu')} px={6}>
          <Text size="sm" fw={500} truncate maw={140}>
            {user.display_name || user.email}
          </Text>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.email}</Menu.Label>
        <Menu.Item component={Link} to={paths.myLearnwares.path}>
          {t('nav.myLearnwares')}
        </Menu.Item>
        <Menu.Item component={Link} to={paths.notifications.path}>
          {t('nav.notifications')}
        </Menu.Item>
        <Menu.Item component={Link} to={paths.account.path}>
          {t('nav.account')}
        </Menu.Item>
        {isStaff(user) && (
          <Menu.Item component={Link} to={paths.adminConsole.path}>
            {t('nav.adminConsole')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item
          color="red"
          onClick={() => {
            logout.mutate(undefined, {
              onSettled: () => {
                void navigate(paths.home.path);
              },
            });
          }}
        >
          {t('nav.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
