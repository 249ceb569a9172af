import { ActionIcon, Menu } from '@mantine/core';
import {
  IconApi,
  IconCrown,
  IconDots,
  IconKey,
  IconPencil,
  IconPlayerPlay,
  IconShieldOff,
  IconTrash,
  IconUserOff,
} from '@tabler/icons-react';
import type { User } from '../../../../shared/contract/users';
import { HoverTooltip } from '../../ui/HoverTooltip';

export interface UserActions {
  edit(user: User): void;
  disable(user: User): void;
  enable(user: User): void;
  resetPassword(user: User): void;
  remove(user: User): void;
  transfer(user: User): void;
  tokens(user: User): void;
  resetTwoFactor(user: User): void;
}

export function UserActionsMenu({
  user,
  actions,
  locked,
  isSelf,
  canTransfer,
  canResetTwoFactor,
}: {
  user: User;
  actions: UserActions;
  /** Owners reset another user's second factor. */
  canResetTwoFactor: boolean;
  /** Why this user cannot be managed by the session, if so. */
  locked: string | null;
  isSelf: boolean;
  canTransfer: boolean;
}) {
  if (locked) {
    return (
      <HoverTooltip label={locked}>
        <ActionIcon variant="subtle" aria-label={`Actions for ${user.name}`} data-disabled aria-disabled>
          <IconDots size={16} />
        </ActionIcon>
      </HoverTooltip>
    );
  }
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" aria-label={`Actions for ${user.name}`}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => actions.edit(user)}>
          Edit
        </Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} />} onClick={() => actions.resetPassword(user)}>
          Reset password
        </Menu.Item>
        <Menu.Item leftSection={<IconApi size={16} />} onClick={() => actions.tokens(user)}>
          API tokens
        </Menu.Item>
        {canResetTwoFactor && (
          <Menu.Item leftSection={<IconShieldOff size={16} />} onClick={() => actions.resetTwoFactor(user)}>
            Reset two-factor sign-in
          </Menu.Item>
        )}
        {user.disabled ? (
          <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => actions.enable(user)}>
            Enable
          </Menu.Item>
        ) : (
          !isSelf && (
            <Menu.Item leftSection={<IconUserOff size={16} />} onClick={() => actions.disable(user)}>
              Disable
            </Menu.Item>
          )
        )}
        {canTransfer && (
          <Menu.Item leftSection={<IconCrown size={16} />} onClick={() => actions.transfer(user)}>
            Transfer ownership
          </Menu.Item>
        )}
        {!isSelf && (
          <>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => actions.remove(user)}>
              Delete
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
