// An org archive's import writes its daily usage a write at a time before its org exists; a month a
// re-pricing sums again meanwhile leaves those days out. When the import ends, the sums it adds for
// its org must survive that re-sum's swap, even one restarted while the days were staged.
// SQLite only: PostgreSQL writes an archive's days with its org, in one transaction.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import {
  archiveDay,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  usageRecord,
} from '../fixtures/billing';

let world: BillingWorld;
afterEach(() => world.cleanup());

/** Acme and Gone, served from September by `support` and `leaver`, and gpt-4o's price. */
async function acmeAndGone() {
  world = openBillingWorld('2026-10-20T00:00:00Z');
  const acme = await createOrg(world, 'Acme', '30.00');
  const gone = await createOrg(world, 'Gone', '30.00');
  for (const [handle, org] of [
    ['support', acme.id],
    ['leaver', gone.id],
  ] as const) {
    const agent = await createAgent(world, handle);
    await assign(world, agent.id, org, '2026-09-01T00:00:00Z');
  }
  await world.call('prices.set', { model: 'gpt-4o', input: '2.50', output: '10.00', from: '2026-01-01' });
  return { acme, gone };
}

it.each([
  { restartedWhileStaged: true },
  // Begun before the archive's days were written, it adds them at its swap: it keeps its steps.
  { restartedWhileStaged: false },
])('keeps an imported org’s month when a re-sum pending swaps in (%o)', async ({ restartedWhileStaged }) => {
  const { acme, gone } = await acmeAndGone();
  const job = await world.importText(
    'usage.csv',
    csvOf([
      usageRecord('2026-10-03T10:00:00Z', 'support', 'gpt-4o', 1_000, 100),
      usageRecord('2026-10-18T10:00:00Z', 'support', 'gpt-4o', 2_000, 200),
      usageRecord('2026-10-04T10:00:00Z', 'leaver', 'gpt-4o', 3_000, 300),
    ]),
  );
  expect(job.status).toBe('done');

  const { store, everyOrg } = world.backend;
  const archivedOrg = randomUUID();
  const write = <T>(work: () => T) => store.asServer(everyOrg, () => store.writeTransaction(work));
  // A price from mid-October: October is to be summed again from its days, a step at a time.
  await write(() => {
    store.prices.upsert(
      {
        model: 'gpt-4o',
        effective_from: '2026-10-15',
        input_pico: 5_000_000,
        output_pico: 20_000_000,
        source: 'manual',
        created_at: '2026-10-20T00:00:00.000Z',
      },
      [],
    );
    store.usage.rebucketModel('gpt-4o', '2026-10-15');
  });
  // An archive's days, written under its org before the org exists.
  const staged = await write(() => {
    const started = store.usage.startOrgDays(archivedOrg);
    store.archiveImports.begin({ org_ref: started.org, since: started.since }, '2026-10-20T00:00:00.000Z');
    for (const day of ['2026-10-05', '2026-10-16'])
      store.usage.orgDayWriter(started.org, started.since)(archiveDay('gpt-4o', day, 7_000));
    return started;
  });
  // Another org's purge restarts the re-sum, from the rows there are now: the staged ones among them.
  if (restartedWhileStaged) await write(() => store.usage.dropOrg(gone.id));
  // The re-sum sums October's 31 days (a step each, so few are its rows), leaving out the staged ones.
  await write(() => {
    for (let day = 0; day < 31; day++) expect(store.usage.resumNextStep()).toBe(true);
  });
  // The import ends before the re-sum's swap.
  await write(() => {
    store.usage.finishOrgDays(staged.org, staged.since);
    store.archiveImports.end(staged.org);
  });
  // A restart finishes the rewrites pending.
  world.reopen();
  await world.backend.resumed;

  const { store: reopened, everyOrg: allOrgs } = world.backend;
  const monthOf = (orgId: string) =>
    reopened.asServer(allOrgs, () =>
      reopened.usage
        .orgMonthByAgentModel('2026-10', orgId)
        .map((row) => ({ input: Number(row.input_tokens), price: row.price })),
    );
  const archived = await monthOf(archivedOrg);
  expect(archived.reduce((sum, row) => sum + row.input, 0)).toBe(14_000);
  // Each half of the month at its own price.
  expect(new Set(archived.map((row) => row.price)).size).toBe(2);
  expect((await monthOf(acme.id)).reduce((sum, row) => sum + row.input, 0)).toBe(3_000);
  expect((await monthOf(gone.id)).reduce((sum, row) => sum + row.input, 0)).toBe(
    restartedWhileStaged ? 0 : 3_000,
  );
});

it('sums an imported org’s days when the newest rows before them were deleted meanwhile', async () => {
  const { acme, gone } = await acmeAndGone();
  // Gone's usage imported last: its days are the newest rows.
  for (const handle of ['support', 'leaver']) {
    const job = await world.importText(
      `${handle}.csv`,
      csvOf([usageRecord('2026-10-03T10:00:00Z', handle, 'gpt-4o', 1_000, 100)]),
    );
    expect(job.status).toBe('done');
  }

  const { store, everyOrg } = world.backend;
  const archivedOrg = randomUUID();
  const write = <T>(work: () => T) => store.asServer(everyOrg, () => store.writeTransaction(work));
  const staged = await write(() => {
    const started = store.usage.startOrgDays(archivedOrg);
    store.archiveImports.begin({ org_ref: started.org, since: started.since }, '2026-10-20T00:00:00.000Z');
    return started;
  });
  // Gone's purge deletes the rows the archive's were to follow, before its first day is written.
  await write(() => store.usage.dropOrg(gone.id));
  await write(() => {
    const addDay = store.usage.orgDayWriter(staged.org, staged.since);
    for (const day of ['2026-10-05', '2026-10-16']) addDay(archiveDay('gpt-4o', day, 7_000));
  });
  await write(() => {
    store.usage.finishOrgDays(staged.org, staged.since);
    store.archiveImports.end(staged.org);
  });

  const monthInput = (orgId: string) =>
    store.asServer(everyOrg, () =>
      store.usage
        .orgMonthByAgentModel('2026-10', orgId)
        .reduce((sum, row) => sum + Number(row.input_tokens), 0),
    );
  expect(await monthInput(archivedOrg)).toBe(14_000);
  expect(await monthInput(acme.id)).toBe(1_000);
});
