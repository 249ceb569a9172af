import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { MIGRATIONS } from '../../electron/backend/store/migrations';
import { type ChannelName, channelNames } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/contract/envelope';
import { makeTempDir, OWNER, openTestBackend, removeDir, setUpOwner } from '../fixtures/backend';
import { costThisMonth } from '../fixtures/billing';
import {
  type AppReport,
  BUILT_MAIN,
  buildApp,
  DesktopApp,
  type Frame,
} from '../fixtures/electron-standin/desktop-app';

// The built main process (out/main/index.js, not the sources) on a stand-in `electron` that keeps
// Electron's start-up rules (test/fixtures/electron-standin/electron.mjs lists them).

const RENDERER = pathToFileURL(join(import.meta.dirname, '../../out/renderer/index.html')).href;
const TOP_FRAME: Frame = { url: RENDERER, parent: null };
const SUBFRAME: Frame = { url: RENDERER, parent: {} };
const OTHER_PAGE: Frame = { url: 'https://attacker.example/', parent: null };

const isEnvelope = (value: unknown) => {
  const envelope = value as { ok?: unknown; data?: unknown; error?: { code?: string; message?: unknown } };
  if (envelope?.ok === true) return 'data' in envelope;
  return (
    envelope?.ok === false &&
    ERROR_CODES.includes(envelope.error?.code as never) &&
    typeof envelope.error?.message === 'string'
  );
};

// Once per run, so the test never starts an older build than the sources.
beforeAll(buildApp, 60_000);

describe('the desktop app starting on Electronʼs rules', () => {
  let app: DesktopApp;
  let report: AppReport;

  beforeAll(async () => {
    app = new DesktopApp(BUILT_MAIN, { packaged: true });
    await app.started();
    report = await app.report();
  }, 60_000);

  afterAll(() => {
    app.kill();
    if (report) rmSync(report.userData, { recursive: true, force: true });
  });

  it('opens one window, with no error in the main process', () => {
    expect(app.errors, app.log()).toEqual([]);
    expect(app.errorBoxes).toEqual([]);
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]).toMatchObject({ url: RENDERER, shown: true });
  });

  it('gives the window an isolated, sandboxed page without Node or DevTools, and a preload that exists', () => {
    expect(report.windows[0]?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(report.windows[0]?.preloadExists).toBe(true);
  });

  it('refuses navigation, webviews, new windows, DevTools and every browser permission', () => {
    expect(report.contents).toEqual([
      {
        navigationPrevented: true,
        webviewPrevented: true,
        windowOpen: { action: 'deny' },
        devToolsOpen: false,
      },
    ]);
    // A web link the page tries to open goes to the system browser instead.
    expect(report.openedExternally).toEqual(['https://docs.example/']);
    expect(report.permissionRequest).toBe(false);
    expect(report.permissionCheck).toBe(false);
  });

  it('answers every contract channel with an envelope from the windowʼs top frame, and refuses other frames', async () => {
    expect([...report.channels].sort()).toEqual([...channelNames].sort());
    for (const channel of channelNames) {
      for (const frame of [SUBFRAME, OTHER_PAGE]) {
        await expect(app.invoke(channel, {}, frame), `${channel} from ${frame.url}`).resolves.toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
      }
      expect(isEnvelope(await app.invoke(channel, {}, TOP_FRAME)), channel).toBe(true);
    }
  });

  it('sets up the store and lists organizations for the window', async () => {
    await expect(app.invoke('setup.init', OWNER, OTHER_PAGE)).resolves.toMatchObject({ ok: false });
    await expect(app.invoke('setup.init', OWNER, TOP_FRAME)).resolves.toMatchObject({ ok: true });
    await expect(app.invoke('orgs.list', {}, TOP_FRAME)).resolves.toMatchObject({
      ok: true,
      data: expect.any(Array),
    });
  });

  it('shows a budget alert the backend raises as a desktop notification, after the app is ready', async () => {
    expect(report.notifications).toEqual([]);
    const data = async (channel: string, input: unknown) => {
      const envelope = (await app.invoke(channel, input, TOP_FRAME)) as { ok: boolean; data?: unknown };
      expect(envelope, channel).toMatchObject({ ok: true });
      return envelope.data as Record<string, unknown>;
    };
    const org = await data('orgs.create', { name: 'Acme Corp', budget: '1.00' });
    // $2.50 this month of a $1.00 budget.
    const job = await costThisMonth(data, org.id as string);
    expect(job.status).toBe('done');
    let shown: AppReport['notifications'] = [];
    for (let i = 0; i < 50 && shown.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      shown = (await app.report()).notifications;
    }
    expect(shown).toHaveLength(2);
    for (const notification of shown) {
      expect(notification).toMatchObject({ title: 'Budget alert', afterReady: true });
      expect(notification.body).toMatch(/^Acme Corp: 250% of the \w+ budget used \(alert at (80|100)%\)$/);
    }
  });

  it('quits when its window is closed, closing the store', async () => {
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    const wal = join(report.userData, 'orgdeck.db-wal');
    expect(existsSync(wal)).toBe(true);
    await expect(app.closeWindows()).resolves.toBe(0);
    expect(existsSync(wal)).toBe(false);
    expect(existsSync(join(report.userData, 'orgdeck.db'))).toBe(true);
  });
});

describe('the desktop app over a store with a budget overrun nobody was told of yet', () => {
  const CLIENT = { email: 'client@example.com', password: 'client horse battery' };
  let userData: string;
  let app: DesktopApp | undefined;

  beforeAll(async () => {
    // Acme's usage this month costs $2.50; its $1.00 budget was set after the import, so the store
    // holds no alert yet and the app's first check at start raises two (80 % and 100 %).
    userData = makeTempDir();
    const harness = openTestBackend({ dataDir: userData });
    const owner = await setUpOwner(harness);
    const acme = await harness.data('orgs.create', { name: 'Acme Corp' }, owner);
    const job = await costThisMonth(
      (channel, input) => harness.data(channel as ChannelName, input, owner),
      acme.id,
    );
    expect(job.status).toBe('done');
    await harness.data('orgs.update', { id: acme.id, budget: '1.00' }, owner);
    expect(await harness.data('alerts.list', { status: 'all' }, owner)).toEqual([]);
    // A client of Acme's, who never sees what Acme costs the MSP.
    await harness.data(
      'users.create',
      {
        email: CLIENT.email,
        name: 'Cleo Client',
        role: 'user',
        memberships: [{ orgId: acme.id, role: 'manager' }],
        password: CLIENT.password,
      },
      owner,
    );
    harness.backend.close();
  }, 60_000);

  afterAll(() => {
    app?.kill();
    removeDir(userData);
  });

  it('raises the alerts at start, and shows them at the first sign-in that may see them, not a clientʼs', async () => {
    app = new DesktopApp(BUILT_MAIN, { packaged: true, userData });
    await app.started();
    const data = async (channel: string, input: unknown) => {
      const envelope = (await (app as DesktopApp).invoke(channel, input, TOP_FRAME)) as {
        ok: boolean;
        data?: unknown;
      };
      expect(envelope, channel).toMatchObject({ ok: true });
      return envelope.data;
    };
    const notifications = async () => (await (app as DesktopApp).report()).notifications;
    // The check at start raises them, with nobody signed in (read from the store beside the app).
    const store = new Database(join(userData, DATABASE_FILE), { readonly: true });
    try {
      const raised = () => Number(store.prepare('SELECT count(*) FROM budget_alerts').pluck().get());
      for (let i = 0; i < 100 && raised() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(raised()).toBe(2);
    } finally {
      store.close();
    }
    // Time for a notification the main process would show.
    const aMoment = () => new Promise((resolve) => setTimeout(resolve, 500));
    await aMoment();
    expect(await notifications()).toEqual([]);
    // Acmeʼs client signs in: what Acme costs the MSP is not the clientʼs to see.
    await data('session.signIn', CLIENT);
    await aMoment();
    expect(await notifications()).toEqual([]);
    await data('session.signOut', {});
    // The owner signs in: the alerts kept back are shown, once.
    await data('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
    let shown: AppReport['notifications'] = [];
    for (let i = 0; i < 50 && shown.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      shown = await notifications();
    }
    expect(shown.map((notification) => notification.body).sort()).toEqual([
      expect.stringMatching(/^Acme Corp: 250% of the \w+ budget used \(alert at 100%\)$/),
      expect.stringMatching(/^Acme Corp: 250% of the \w+ budget used \(alert at 80%\)$/),
    ]);
    await data('session.signOut', {});
    await data('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
    await aMoment();
    expect(await notifications()).toHaveLength(2);
    expect(app.errors, app.log()).toEqual([]);
  });
});

describe('the desktop app over a store it cannot open', () => {
  it('says why in an error box and quits, instead of staying up with no window', async () => {
    const userData = makeTempDir();
    const newer = new Database(join(userData, DATABASE_FILE));
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    const app = new DesktopApp(BUILT_MAIN, { packaged: true, userData });
    try {
      await expect(app.exited).resolves.toBe(0);
      expect(app.errors, app.log()).toEqual([]);
      expect(app.errorBoxes).toEqual([expect.stringMatching(/^Orgdeck could not start: .*newer Orgdeck/)]);
    } finally {
      app.kill();
      removeDir(userData);
    }
  });
});
