import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seenAtAWindow } from '../../../electron/main/budget-alert-notices';
import type { ChannelName } from '../../../shared/contract';
import type { BudgetAlert } from '../../../shared/contract/alerts';
import {
  newSession,
  OWNER,
  openTestBackend,
  setUpOwner,
  type TestBackend,
  type TestSession,
} from '../../fixtures/backend';
import { costThisMonth } from '../../fixtures/billing';

const PASSWORD = 'another horse battery';

/** Signs a console user in, as the window would, and returns their session token. */
async function signIn(harness: TestBackend, email: string, password = PASSWORD): Promise<string> {
  const session = newSession();
  await harness.data('session.signIn', { email, password }, session);
  if (!session.token) throw new Error(`${email} was handed no token`);
  return session.token;
}

describe('which budget alerts the desktop shows as an OS notification', () => {
  let harness: TestBackend;
  let owner: TestSession;
  let acme: BudgetAlert;
  let globexId: string;

  beforeEach(async () => {
    harness = openTestBackend();
    owner = await setUpOwner(harness);
    const org = await harness.data('orgs.create', { name: 'Acme Corp', budget: '1.00' }, owner);
    globexId = (await harness.data('orgs.create', { name: 'Globex' }, owner)).id;
    // $2.50 this month of Acme's $1.00 budget raises its alerts.
    const job = await costThisMonth(
      (channel, input) => harness.data(channel as ChannelName, input, owner),
      org.id,
    );
    expect(job.status).toBe('done');
    const alerts = await harness.data('alerts.list', { status: 'open' }, owner);
    expect(alerts.map((alert) => alert.org.name)).toEqual(['Acme Corp', 'Acme Corp']);
    acme = alerts[0] as BudgetAlert;
  });

  afterEach(() => harness.cleanup());

  const seen = (tokens: string[]) => seenAtAWindow(harness.backend.router, tokens, acme);

  it('shows it where the owner or a billing admin is signed in', async () => {
    await expect(seen([owner.token as string])).resolves.toBe(true);
    await harness.data(
      'users.create',
      { email: 'bill@example.com', name: 'Bill', role: 'billing_admin', password: PASSWORD },
      owner,
    );
    await expect(seen([await signIn(harness, 'bill@example.com')])).resolves.toBe(true);
  });

  it('shows nothing where nobody is signed in, or only a user of an org (its own or another) is', async () => {
    await expect(seen([])).resolves.toBe(false);
    const acmeId = acme.org.id;
    for (const [email, orgId] of [
      ['client@example.com', acmeId],
      ['staff@example.com', globexId],
    ] as const) {
      await harness.data(
        'users.create',
        {
          email,
          name: 'Member',
          role: 'user',
          memberships: [{ orgId, role: 'manager' }],
          password: PASSWORD,
        },
        owner,
      );
      await expect(seen([await signIn(harness, email)]), email).resolves.toBe(false);
    }
    // A window the owner signed out of.
    const signedOut = await signIn(harness, OWNER.ownerEmail, OWNER.password);
    await harness.data('session.signOut', {}, { token: signedOut, setToken: () => {} });
    await expect(seen([signedOut])).resolves.toBe(false);
    // Any one window that may see it is enough.
    await expect(seen([signedOut, owner.token as string])).resolves.toBe(true);
  });
});
