import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertNotices, seenAtAWindow } from '../../../electron/main/budget-alert-notices';
import type { ChannelName } from '../../../shared/contract';
import type { BudgetAlert } from '../../../shared/contract/alerts';
import { codeAt } from '../../fixtures/authenticator';
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
  /** The other of the two alerts Acme's cost raised. */
  let acmeToo: BudgetAlert;
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
    [acme, acmeToo] = alerts as [BudgetAlert, BudgetAlert];
  });

  afterEach(() => harness.cleanup());

  const seen = (tokens: string[]) => seenAtAWindow(harness.backend.router, tokens, acme);

  /** Notices of a desktop with no window signed in, after Acme's alert was raised (and kept back). */
  async function keptBack() {
    const shown: number[] = [];
    const notices = createAlertNotices(
      harness.backend.router,
      () => [],
      (alert) => shown.push(alert.id),
    );
    notices.raised(acme);
    await notices.handled();
    return { shown, notices };
  }

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
  it('keeps back an alert nobody may see, and shows it once, as it stands, at the first sign-in that may see it', async () => {
    const shown: number[] = [];
    let tokens: string[] = [];
    const notices = createAlertNotices(
      harness.backend.router,
      () => tokens,
      (alert) => shown.push(alert.id),
    );
    // Raised twice while nobody is signed in (the store raises a resolved alert again under its id).
    notices.raised(acme);
    notices.raised(acme);
    await notices.handled();
    expect(shown).toEqual([]);
    // Acme's client signs in: not theirs to see.
    await harness.data(
      'users.create',
      {
        email: 'client@example.com',
        name: 'Client',
        role: 'user',
        memberships: [{ orgId: acme.org.id, role: 'manager' }],
        password: PASSWORD,
      },
      owner,
    );
    notices.signedIn(await signIn(harness, 'client@example.com'));
    await notices.handled();
    expect(shown).toEqual([]);
    // The owner signs in, twice: shown once.
    notices.signedIn(owner.token as string);
    notices.signedIn(owner.token as string);
    await notices.handled();
    expect(shown).toEqual([acme.id]);
    // With the owner's window signed in, the next is shown as it is raised.
    tokens = [owner.token as string];
    notices.raised(acmeToo);
    await notices.handled();
    expect(shown).toEqual([acme.id, acmeToo.id]);
  });

  it('shows an alert kept back to an admin who had to enrol two-factor sign-in first, told of her enrolment', async () => {
    const { shown, notices } = await keptBack();
    await harness.data(
      'users.create',
      { email: 'ada@example.com', name: 'Ada', role: 'admin', password: PASSWORD },
      owner,
    );
    await harness.data('settings.update', { requireTwoFactor: true }, owner);
    const ada = newSession();
    await harness.data('session.signIn', { email: 'ada@example.com', password: PASSWORD }, ada);
    const token = ada.token as string;
    notices.signedIn(token);
    await notices.handled();
    // Until she enrols, she may open nothing else.
    expect(shown).toEqual([]);
    const begun = await harness.data('twoFactor.begin', {}, ada);
    await harness.data('twoFactor.confirm', { code: codeAt(begun.secret, new Date().toISOString()) }, ada);
    // The window tells of her enrolment as of a sign-in, with the same session (bindIpc).
    notices.signedIn(token);
    await notices.handled();
    expect(shown).toEqual([acme.id]);
  });

  it('does not show an alert kept back that was resolved before anyone who may see it signed in', async () => {
    const { shown, notices } = await keptBack();
    // Acme's budget grows past its cost: its alerts resolve.
    await harness.data('orgs.update', { id: acme.org.id, budget: '100.00' }, owner);
    expect(await harness.data('alerts.check', {}, owner)).toMatchObject({ resolved: 2, open: 0 });
    notices.signedIn(owner.token as string);
    await notices.handled();
    expect(shown).toEqual([]);
  });
});
