import { Badge } from '@mantine/core';
import type { Org } from '../../../../shared/contract/orgs';

const LOOK: Record<Org['status'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  inactive: { label: 'Inactive', color: 'yellow' },
  deleted: { label: 'Deleted', color: 'red' },
};

export function OrgStatusBadge({ status }: { status: Org['status'] }) {
  const { label, color } = LOOK[status];
  return (
    <Badge variant="light" color={color}>
      {label}
    </Badge>
  );
}
