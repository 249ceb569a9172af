import { Alert, Checkbox, Select, SimpleGrid, Stack } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import {
  type Membership,
  PAGES,
  type Page,
  ROLES,
  type Role,
  seesAllOrgs,
} from '../../../../shared/domain/permissions';
import { PAGE_LABELS, ROLE_LABELS } from './labels';
import { MembershipsField } from './MembershipsField';

interface Access {
  role: Role;
  boundOrgId?: string | null;
  memberships?: Membership[];
  pages?: Page[];
}

/**
 * Role, orgs and page permissions: the part of a user that decides what they see. A new user gets
 * one org (a member membership); an existing one's memberships are edited row by row.
 */
export function AccessFields({
  values,
  errors,
  onRole,
  onOrg,
  onMemberships,
  onPages,
  orgs,
  canGrantOwner,
}: {
  values: Access;
  errors: Record<string, string>;
  onRole: (role: Role) => void;
  onOrg?: (orgId: string | null) => void;
  onMemberships?: (memberships: Membership[]) => void;
  onPages: (pages: Page[]) => void;
  orgs: { value: string; label: string }[];
  canGrantOwner: boolean;
}) {
  const ignored = seesAllOrgs(values.role);
  return (
    <Stack>
      <Select
        label="Role"
        data={ROLES.map((role) => ({
          value: role,
          label: ROLE_LABELS[role],
          disabled: role === 'owner' && !canGrantOwner,
        }))}
        allowDeselect={false}
        value={values.role}
        error={errors.role}
        onChange={(value) => value && onRole(value as Role)}
      />
      {ignored && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle />}>
          Owners, admins and billing admins act on every organization, so the binding and page permissions
          below are ignored for them.
        </Alert>
      )}
      {onMemberships ? (
        <MembershipsField
          value={values.memberships ?? []}
          onChange={onMemberships}
          orgs={orgs}
          disabled={ignored}
          error={errors.memberships}
        />
      ) : (
        <Select
          label="Organization"
          description="The user becomes a member of this organization; without one they see none."
          placeholder="None"
          data={orgs}
          searchable
          clearable
          disabled={ignored}
          nothingFoundMessage="No organization matches"
          value={values.boundOrgId ?? null}
          error={errors.boundOrgId}
          onChange={(orgId) => onOrg?.(orgId)}
        />
      )}
      <Checkbox.Group
        label="Pages"
        description="What a user may open besides their organization."
        value={values.pages ?? []}
        error={errors.pages}
        onChange={(value) => onPages(value as Page[])}
      >
        <SimpleGrid cols={3} mt="xs" spacing="xs">
          {PAGES.map((page) => (
            <Checkbox key={page} value={page} label={PAGE_LABELS[page]} disabled={ignored} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </Stack>
  );
}
