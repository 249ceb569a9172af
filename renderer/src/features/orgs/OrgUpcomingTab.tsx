import { Paper } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';

export type UpcomingTab = 'guardrails';

const CONTENT: Record<
  UpcomingTab,
  { icon: typeof IconShieldCheck; title: string; hint: (org: Org) => string }
> = {
  guardrails: {
    icon: IconShieldCheck,
    title: 'Guardrails are not built yet',
    hint: (org) => `This tab will hold the policies that limit what ${org.name}'s agents may do.`,
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
