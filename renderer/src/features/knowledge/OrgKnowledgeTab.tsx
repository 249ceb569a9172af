import { Paper } from '@mantine/core';
import { IconBookOff } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { OrgKnowledge } from './OrgKnowledge';

/** The org detail's Knowledge tab; a deleted org's documents wait, unreadable, for a restore or the purge. */
export function OrgKnowledgeTab({ org, user }: { org: Org; user: SessionUser }) {
  if (org.status === 'deleted') {
    return (
      <Paper withBorder>
        <EmptyState icon={<IconBookOff size={24} />} title="Knowledge is put away">
          <EmptyHint>
            {org.name} is deleted: its documents come back if it is restored, and go when it is purged.
          </EmptyHint>
        </EmptyState>
      </Paper>
    );
  }
  return <OrgKnowledge org={org} user={user} />;
}
