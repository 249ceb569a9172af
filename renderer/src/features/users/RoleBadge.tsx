import { Badge } from '@mantine/core';
import type { Role } from '../../../../shared/domain/permissions';
import { ROLE_LABELS } from './labels';

const COLORS: Record<Role, string> = { owner: 'grape', admin: 'indigo', billing_admin: 'teal', user: 'gray' };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge variant="light" color={COLORS[role]}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
