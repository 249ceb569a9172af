import { AppShell, Burger, Group, NavLink } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingCommunity } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { OrgsPage } from '../features/orgs/OrgsPage';
import { Logo } from '../ui/Logo';
import { OrgSwitcher } from './OrgSwitcher';
import { navigate, ROUTES, useRoutePath } from './routes';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

const NAV = [{ path: ROUTES.orgs, label: 'Organizations', icon: IconBuildingCommunity }] as const;

export function Shell({ user }: { user: SessionUser }) {
  const [opened, { toggle }] = useDisclosure();
  const path = useRoutePath();

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Logo />
            <OrgSwitcher user={user} />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ThemeToggle />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {NAV.map((item) => (
          <NavLink
            key={item.path}
            href={`#${item.path}`}
            label={item.label}
            leftSection={<item.icon size={18} />}
            active={path.startsWith(item.path)}
            onClick={(event) => {
              event.preventDefault();
              navigate(item.path);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <OrgsPage canManage={user.role !== 'user'} />
      </AppShell.Main>
    </AppShell>
  );
}
