import type { Org } from '../../../../shared/contract/orgs';
import { allows } from '../../../../shared/domain/permissions';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { usd } from '../../ui/money';
import { useCurrentSession } from '../session/queries';
import { BudgetBadge } from './figures';
import { currentMonth, monthName } from './months';
import { useMargins } from './queries';

/**
 * For an org list row: the org's budget state this month, when it has reached 80 % or more. One
 * margins query serves every row; nothing is asked for orgs without a budget or without the billing page.
 */
export function OrgBudgetBadge({ org }: { org: Org }) {
  const session = useCurrentSession();
  const user = session.data?.user;
  const month = currentMonth();
  const enabled = org.budget !== null && org.status !== 'deleted' && !!user && allows(user, 'billing.read');
  const margins = useMargins(month, undefined, enabled);
  const row = enabled ? margins.data?.orgs.find((candidate) => candidate.id === org.id) : undefined;
  if (!row || row.budget === null || (row.budget_state !== 'warning' && row.budget_state !== 'exceeded'))
    return null;
  return (
    <HoverTooltip label={`${monthName(month)}: ${usd(row.cost)} of the ${usd(row.budget)} budget`}>
      <span>
        <BudgetBadge state={row.budget_state} use={row.budget_use} size="xs" />
      </span>
    </HoverTooltip>
  );
}
