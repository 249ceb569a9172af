import { Avatar, Loader, Menu, Modal, Text, UnstyledButton } from '@mantine/core';
import { IconApi, IconDevicesOff, IconDoorExit, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { Suspense, useState } from 'react';
import type { SessionUser } from '../../../shared/contract/session';
import { confirmLeaveOrg } from '../features/members/confirm-leave-org';
import { useLeaveOrg } from '../features/members/queries';
import { confirmSignOutEverywhere } from '../features/session/confirm-sign-out-everywhere';
import { LazyTwoFactorEnrol } from '../features/session/LazyTwoFactorEnrol';
import { useSignOut, useSignOutEverywhere } from '../features/session/queries';
import { navigate, paths } from './routes';
import { useSwitcherOrg } from './use-switcher-org';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

export function UserMenu({ user }: { user: SessionUser }) {
  const signOut = useSignOut();
  const signOutEverywhere = useSignOutEverywhere();
  const [enrolling, setEnrolling] = useState(false);
  const leave = useLeaveOrg();
  // A member may leave the org in context themselves; console roles hold every org by their role.
  const held = useSwitcherOrg(user);
  const leavable = user.role === 'user' ? held.org : null;
  return (
    <>
      {/* Mounted only while open: a closed Modal still mounts its portal as the console first draws. */}
      {enrolling && (
        <Modal opened onClose={() => setEnrolling(false)} title="Two-factor sign-in">
          <Suspense fallback={<Loader size="sm" />}>
            <LazyTwoFactorEnrol onDone={() => setEnrolling(false)} />
          </Suspense>
        </Modal>
      )}
      <Menu position="bottom-end" width={220}>
        <Menu.Target>
          <UnstyledButton aria-label={`Account: ${user.name}`}>
            <Avatar color="indigo" radius="xl" size="md">
              {initials(user.name)}
            </Avatar>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)">
              {user.name}
            </Text>
            <Text size="xs">
              {user.email} · {user.role}
            </Text>
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item leftSection={<IconApi size={16} />} onClick={() => navigate(paths.tokens())}>
            API tokens
          </Menu.Item>
          <Menu.Item leftSection={<IconShieldLock size={16} />} onClick={() => setEnrolling(true)}>
            Two-factor sign-in
          </Menu.Item>
          {leavable && (
            <Menu.Item
              leftSection={<IconDoorExit size={16} />}
              onClick={() => confirmLeaveOrg(leave, { id: leavable.id, name: leavable.name })}
            >
              Leave {leavable.name}
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => signOut.mutate()}>
            Sign out
          </Menu.Item>
          <Menu.Item
            leftSection={<IconDevicesOff size={16} />}
            color="red"
            onClick={() => confirmSignOutEverywhere(signOutEverywhere, null)}
          >
            Sign out everywhere
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
