import { ActionIcon, Button, Group, Input, Select, Stack } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import {
  MEMBERSHIP_ROLES,
  type Membership,
  type MembershipRole,
} from '../../../../shared/domain/permissions';
import { MEMBERSHIP_ROLE_LABELS } from './labels';

const ROLE_OPTIONS = MEMBERSHIP_ROLES.map((role) => ({ value: role, label: MEMBERSHIP_ROLE_LABELS[role] }));

/** A user's memberships: one row per org, with the role held there. */
export function MembershipsField({
  value,
  onChange,
  orgs,
  disabled,
  error,
}: {
  value: Membership[];
  onChange: (next: Membership[]) => void;
  orgs: { value: string; label: string }[];
  disabled: boolean;
  error?: string;
}) {
  const unused = orgs.filter((org) => !value.some((membership) => membership.orgId === org.value));
  const set = (index: number, patch: Partial<Membership>) =>
    onChange(value.map((membership, at) => (at === index ? { ...membership, ...patch } : membership)));

  return (
    <Input.Wrapper
      label="Memberships"
      description="The organizations this user holds, with their role in each; the role in effect is that org’s."
      error={error}
    >
      <Stack gap="xs" mt="xs">
        {value.map((membership, index) => {
          const name = orgs.find((org) => org.value === membership.orgId)?.label ?? 'Unknown organization';
          return (
            <Group key={membership.orgId} gap="xs" wrap="nowrap">
              <Select
                aria-label="Organization"
                data={[{ value: membership.orgId, label: name }, ...unused]}
                value={membership.orgId}
                allowDeselect={false}
                searchable
                disabled={disabled}
                onChange={(orgId) => orgId && set(index, { orgId })}
                style={{ flex: 1 }}
              />
              <Select
                aria-label={`Access in ${name}`}
                data={ROLE_OPTIONS}
                value={membership.role}
                allowDeselect={false}
                disabled={disabled}
                onChange={(role) => role && set(index, { role: role as MembershipRole })}
                w={140}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove ${name}`}
                disabled={disabled}
                onClick={() => onChange(value.filter((_, at) => at !== index))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          );
        })}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconPlus size={14} />}
            disabled={disabled || unused.length === 0}
            onClick={() => {
              const next = unused[0];
              if (next) onChange([...value, { orgId: next.value, role: 'member' }]);
            }}
          >
            Add organization
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}
