import type { BudgetAlert } from '../../shared/contract/alerts';
import type { Router } from '../backend/router/router';

/**
 * Whether someone signed in at one of the windows may see this alert. An OS notification reaches
 * whoever sits at the computer, window open or not, and says what the org cost the MSP against its
 * budget; so it is shown only when a window's session could read the alert itself. The router
 * answers `alerts.list` for that session as for the window (billing.read, the org in its scope):
 * a client's or an org member's window, or one signed out, shows nothing.
 */
export async function seenAtAWindow(
  router: Router,
  sessionTokens: readonly string[],
  alert: BudgetAlert,
): Promise<boolean> {
  for (const token of sessionTokens) {
    const answer = await router.call(
      'alerts.list',
      { status: 'all', month: alert.month, org: alert.org.id },
      // A read changes no session: it never signs the window in or out.
      { token, setToken: () => {} },
    );
    if (answer.ok && (answer.data as BudgetAlert[]).some((listed) => listed.id === alert.id)) return true;
  }
  return false;
}
