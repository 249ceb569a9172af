import { Badge } from '@mantine/core';
import type { Agent } from '../../../../shared/contract/agents';
import { HoverTooltip } from '../../ui/HoverTooltip';

export type EffectiveStatus = Agent['effectiveStatus'];

export const STATUS_LOOK: Record<EffectiveStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  paused: { label: 'Paused', color: 'yellow' },
  stopped: { label: 'Stopped', color: 'gray' },
  stopped_by_org: { label: 'Stopped by org', color: 'orange' },
};

/** The agent's effective status; "stopped by org" (its org is inactive) looks different from its own stop. */
export function AgentStatusBadge({ status }: { status: EffectiveStatus }) {
  const { label, color } = STATUS_LOOK[status];
  const badge = (
    <Badge variant={status === 'stopped_by_org' ? 'outline' : 'light'} color={color}>
      {label}
    </Badge>
  );
  return status === 'stopped_by_org' ? (
    <HoverTooltip label="Its organization is inactive: the agent runs again when the organization is activated">
      {badge}
    </HoverTooltip>
  ) : (
    badge
  );
}
