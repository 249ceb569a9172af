import type { BudgetAlert } from '../../shared/contract/alerts';
import type { Router } from '../backend/router/router';

/** Alerts kept back for a sign-in that may see them: the latest, should none sign in for long. */
const WITHHELD_AT_MOST = 20;

/**
 * Whether the session of one of these tokens may see this alert, still open. An OS notification
 * reaches whoever sits at the computer, window open or not, and says what the org cost the MSP
 * against its budget; so it is shown only when a window's session could read the alert itself. The
 * router answers `alerts.list` for that session as for the window (billing.read, the org in its
 * scope): a client's or an org member's session, or one signed out, sees nothing.
 */
export async function seenAtAWindow(
  router: Router,
  sessionTokens: readonly string[],
  alert: BudgetAlert,
): Promise<boolean> {
  for (const token of sessionTokens) {
    const answer = await router.call(
      'alerts.list',
      { status: 'open', month: alert.month, org: alert.org.id },
      // A read changes no session: it never signs the window in or out.
      { token, setToken: () => {} },
    );
    if (answer.ok && (answer.data as BudgetAlert[]).some((listed) => listed.id === alert.id)) return true;
  }
  return false;
}

/**
 * The desktop's budget alert notifications. An alert no window may see when it is raised (nobody
 * signed in yet, as at the check at start, the window closed on macOS, or a client signed in) is
 * kept back, and shown at the next sign-in that may see it while it is still open: it is raised once.
 */
export function createAlertNotices(router: Router, show: (alert: BudgetAlert) => void) {
  let withheld: BudgetAlert[] = [];
  const failed = (error: unknown) =>
    console.error('budget alert notification', error instanceof Error ? error.message : String(error));

  return {
    /** An alert the backend raised, with the session tokens of the windows now. */
    raised(alert: BudgetAlert, sessionTokens: readonly string[]): void {
      void seenAtAWindow(router, sessionTokens, alert)
        .then((seen) => {
          if (seen) show(alert);
          else withheld = [...withheld, alert].slice(-WITHHELD_AT_MOST);
        })
        .catch(failed);
    },
    /** A window signed in with this session: the alerts kept back that it may see are shown now. */
    signedIn(token: string): void {
      const waiting = withheld;
      void (async () => {
        for (const alert of waiting) {
          if (!(await seenAtAWindow(router, [token], alert))) continue;
          withheld = withheld.filter((kept) => kept.id !== alert.id);
          show(alert);
        }
      })().catch(failed);
    },
  };
}
