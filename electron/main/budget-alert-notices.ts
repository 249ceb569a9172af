import type { BudgetAlert } from '../../shared/contract/alerts';
import type { Router } from '../backend/router/router';

/**
 * Alerts kept back for a sign-in that may see them, the latest: more would be a screenful of
 * notifications at once, and the console lists them all anyway.
 */
const WITHHELD_AT_MOST = 100;

/** A read as the session of `token`: it changes no session, never signs the window in or out. */
const asSession = (token: string) => ({ token, setToken: () => {} });

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
      asSession(token),
    );
    if (answer.ok && (answer.data as BudgetAlert[]).some((listed) => listed.id === alert.id)) return true;
  }
  return false;
}

/**
 * The desktop's budget alert notifications. An alert no window may see when it is raised (nobody
 * signed in yet, as at the check at start, the window closed on macOS, or a client signed in) is
 * kept back, and shown at the next sign-in that may see it while it is still open: each is raised
 * once. Raised alerts and sign-ins are handled one at a time, in order, so none is shown twice and
 * a sign-in during a check is not missed.
 */
export function createAlertNotices(
  router: Router,
  sessionTokens: () => readonly string[],
  show: (alert: BudgetAlert) => void,
) {
  /** By id, oldest first: an alert raised again (the store keeps its id) replaces its copy. */
  const withheld = new Map<number, BudgetAlert>();
  let turn: Promise<void> = Promise.resolve();
  const inTurn = (work: () => Promise<void>) => {
    turn = turn.then(work).catch((error: unknown) => {
      console.error('budget alert notification', error instanceof Error ? error.message : String(error));
    });
  };

  return {
    /** An alert the backend raised. */
    raised(alert: BudgetAlert): void {
      inTurn(async () => {
        withheld.delete(alert.id);
        if (await seenAtAWindow(router, sessionTokens(), alert)) {
          show(alert);
          return;
        }
        withheld.set(alert.id, alert);
        const [oldest] = withheld.keys();
        if (withheld.size > WITHHELD_AT_MOST && oldest !== undefined) withheld.delete(oldest);
      });
    },
    /** A window signed in with this session: the alerts kept back that it may see, still open, are shown. */
    signedIn(token: string): void {
      inTurn(async () => {
        // By month: one kept back at a month's end stays open until the next check closes it.
        for (const month of new Set([...withheld.values()].map((alert) => alert.month))) {
          const answer = await router.call('alerts.list', { status: 'open', month }, asSession(token));
          if (!answer.ok) return;
          for (const open of answer.data as BudgetAlert[]) {
            if (!withheld.delete(open.id)) continue;
            // As it stands now: its message says the budget used when last checked.
            show(open);
          }
        }
      });
    },
    /** Resolves once the alerts and sign-ins told so far are handled. */
    handled: (): Promise<void> => turn,
  };
}
