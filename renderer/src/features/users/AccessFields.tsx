import { Alert, Checkbox, Select, SimpleGrid, Stack } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { PAGES, type Page, ROLES, type Role, seesAllOrgs } from '../../../../shared/domain/permissions';
import { PAGE_LABELS, ROLE_LABELS } from './labels';

interface Access {
  role: Role;
  boundOrgId?: string | null;
  pages?: Page[];
}

/** Role, org binding and page permissions: the part of a user that decides what they see. */
export function AccessFields({
  values,
  errors,
  onRole,
  onOrg,
  onPages,
  orgs,
  canGrantOwner,
}: {
  values: Access;
  errors: Record<string, string>;
  onRole: (role: Role) => void;
  onOrg: (orgId: string | null) => void;
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
          Owners and admins see every organization and every page, so the binding and page permissions below
          are ignored for them.
        </Alert>
      )}
      <Select
        label="Organization"
        description="A user sees this organization only; without one they see none."
        placeholder="Not bound"
        data={orgs}
        searchable
        clearable
        disabled={ignored}
        nothingFoundMessage="No organization matches"
        value={values.boundOrgId ?? null}
        error={errors.boundOrgId}
        onChange={onOrg}
      />
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
