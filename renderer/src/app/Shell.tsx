import { AppShell, Burger, Group, NavLink } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { SessionUser } from '../../../shared/contract/session';
import { OfflineBanner } from '../features/connection/OfflineBanner';
import { Logo } from '../ui/Logo';
import { CurrentPage } from './CurrentPage';
import { navFor } from './nav';
import { OrgSwitcher } from './OrgSwitcher';
import { navigate, parseRoute, useRoutePath } from './routes';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

export function Shell({ user }: { user: SessionUser }) {
  const [opened, { toggle, close }] = useDisclosure();
  const route = parseRoute(useRoutePath());

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
        {navFor(user).map((item) => (
          <NavLink
            key={item.path}
            href={`#${item.path}`}
            label={item.label}
            leftSection={<item.icon size={18} />}
            active={item.routes.includes(route.name)}
            onClick={(event) => {
              event.preventDefault();
              navigate(item.path);
              close();
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <OfflineBanner />
        <CurrentPage route={route} user={user} />
      </AppShell.Main>
    </AppShell>
  );
}
