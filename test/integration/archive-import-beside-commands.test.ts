// An org archive's import writes its daily usage a write at a time before the org exists; a start
// forgets one a crash cut short. A one-off command beside the running app is no such start.
import { afterEach, expect, it } from 'vitest';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';

let world: BillingWorld;
afterEach(() => world.cleanup());

const UNDER_WAY = { org_ref: 424_242, since: 0 };

/** Whether the import under way still runs, as the backend open now sees it. */
function running(): Promise<boolean> {
  const { store, everyOrg } = world.backend;
  return store.asServer(everyOrg, () => store.archiveImports.running(UNDER_WAY.org_ref));
}

it('leaves an org archive import under way alone when a CLI command runs beside it, and forgets it at a restart', async () => {
  world = openBillingWorld('2026-11-20T00:00:00Z');
  const { store, everyOrg } = world.backend;
  await store.asServer(everyOrg, () =>
    store.writeTransaction(() => store.archiveImports.begin(UNDER_WAY, '2026-11-20T00:00:00.000Z')),
  );
  expect(await running()).toBe(true);

  // A cron job's command, a script's: the app's archive import goes on.
  for (const args of [
    ['org', 'list'],
    ['alerts', 'check'],
  ]) {
    const result = await runCliIn(world.dataDir, args);
    expect(result.code, result.err).toBe(0);
  }
  expect(await running()).toBe(true);

  // The app's own restart: what was under way then was cut short.
  world.reopen();
  await world.backend.resumed;
  expect(await running()).toBe(false);
});
