import { Paper } from '@mantine/core';
import { IconBook } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';

export type UpcomingTab = 'knowledge';

const CONTENT: Record<UpcomingTab, { icon: typeof IconBook; title: string; hint: (org: Org) => string }> = {
  knowledge: {
    icon: IconBook,
    title: 'Knowledge is not built yet',
    hint: (org) => `This tab will hold the documents and sources ${org.name}'s agents draw on.`,
  },
};

/** The tabs later versions fill; until then they say what will be there. */
export function OrgUpcomingTab({ tab, org }: { tab: UpcomingTab; org: Org }) {
  const { icon: Icon, title, hint } = CONTENT[tab];
  return (
    <Paper withBorder>
      <EmptyState icon={<Icon size={24} />} title={title}>
        <EmptyHint>{hint(org)}</EmptyHint>
      </EmptyState>
    </Paper>
  );
}
