import { AppShell, Burger, Group, NavLink } from '@mantine/core';
import { useDisclosure, useHotkeys, useMediaQuery } from '@mantine/hooks';
import type { SessionUser } from '../../../shared/contract/session';
import { AlertsBell } from '../features/alerts/AlertsBell';
import { OfflineBanner } from '../features/connection/OfflineBanner';
import { HoverTooltip } from '../ui/HoverTooltip';
import { Logo } from '../ui/Logo';
import { CommandPalette } from './CommandPalette';
import { CurrentPage } from './CurrentPage';
import { navFor } from './nav';
import { OrgSwitcher } from './OrgSwitcher';
import { navigate, parseRoute, useRoutePath } from './routes';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

/** `/` puts the cursor in the page's search field, as on GitHub or Linear. */
function focusPageSearch(): void {
  const search = document.querySelector<HTMLInputElement>('main input[aria-label^="Search"]');
  search?.focus();
}

export function Shell({ user }: { user: SessionUser }) {
  const [opened, { toggle, close }] = useDisclosure();
  const route = parseRoute(useRoutePath());
  // Below 1280 px the sidebar keeps only its icons (named by tooltips), so tables keep their columns.
  useHotkeys([['/', focusPageSearch]]);
  // Read as the shell first draws (Mantine's default reads it in an effect, and the answer, even
  // "no", redrew the whole console a second time on every cold load).
  const compact = useMediaQuery('(min-width: 48em) and (max-width: 79.99em)', undefined, {
    getInitialValueInEffect: false,
  });

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: compact ? 64 : 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={compact ? 'md' : 'lg'}
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
            <AlertsBell user={user} />
            <ThemeToggle />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {navFor(user).map((item) => (
          <HoverTooltip key={item.path} label={item.label} position="right" disabled={!compact} withinPortal>
            <NavLink
              href={`#${item.path}`}
              label={compact ? undefined : item.label}
              aria-label={item.label}
              leftSection={<item.icon size={18} aria-hidden />}
              active={item.routes.includes(route.name)}
              onClick={(event) => {
                event.preventDefault();
                navigate(item.path);
                close();
              }}
            />
          </HoverTooltip>
        ))}
      </AppShell.Navbar>
      <CommandPalette user={user} />
      <AppShell.Main>
        <OfflineBanner />
        <CurrentPage route={route} user={user} />
      </AppShell.Main>
    </AppShell>
  );
}
