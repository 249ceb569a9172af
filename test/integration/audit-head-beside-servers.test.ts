import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../electron/backend/services/audit-log';
import { connectPostgresClient } from '../../electron/backend/store/postgres/connection';
import { AppError } from '../../shared/contract/envelope';
import { onPostgresProject } from '../fixtures/backend';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';

// On PostgreSQL every audited write takes the trail's head (one shared row) to chain its entries.
// A change still running must not hold it, or every other server's audited write waits for the
// slowest change; an entry of a step that was undone must not be chained.
describe.skipIf(!onPostgresProject())('the audit trail’s head beside other servers on PostgreSQL', () => {
  let world: BillingWorld;
  let other: pg.Client | undefined;

  beforeEach(() => {
    world = openBillingWorld('2026-10-15T12:00:00.000Z');
  });
  afterEach(async () => {
    await other?.end();
    other = undefined;
    world.cleanup();
  });

  const entry = (name: string) => ({
    action: 'setting.changed',
    orgId: null,
    target: { type: 'setting', id: name },
    summary: { after: { name } },
  });

  const actions = async () =>
    (await world.call('audit.list', { page: 1, pageSize: 50, sort: 'time', direction: 'asc' })).items
      .filter((item) => item.target.type === 'setting')
      .map((item) => item.target.id);

  it('lets another server take the head for its entry while a change that wrote one is still running', async () => {
    const { store, services, everyOrg } = world.backend;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let recorded = () => {};
    const wasRecorded = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    const change = store.asServer(everyOrg, async () => {
      services.audit.record(SYSTEM_ACTOR, entry('slow-change'));
      recorded();
      await finished;
    });
    await wasRecorded;

    // Another server's audited write takes the head, giving up after 2 s of waiting.
    other = await connectPostgresClient(world.backend.store.postgres?.url as string);
    await other.query("SET lock_timeout = '2s'");
    await other.query('BEGIN');
    const head = other.query('SELECT last_id FROM audit_chain_head WHERE id = 1 FOR UPDATE');
    await expect(head).resolves.toMatchObject({ rowCount: 1 });
    await other.query('COMMIT');

    finish();
    await change;
    expect(await actions()).toEqual(['slow-change']);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
  });

  it('chains the entries of a change but not those of a step of it that was undone', async () => {
    const { store, services, everyOrg } = world.backend;
    await store.asServer(everyOrg, () => {
      services.audit.record(SYSTEM_ACTOR, entry('kept'));
      expect(() =>
        store.transaction(() => {
          services.audit.record(SYSTEM_ACTOR, entry('undone'));
          throw new Error('the step fails');
        }),
      ).toThrow('the step fails');
      services.audit.record(SYSTEM_ACTOR, entry('kept-after'));
    });
    expect(await actions()).toEqual(['kept', 'kept-after']);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
  });

  it('stops a call whose commit before slow work failed, though the slow work’s failure was caught', async () => {
    const { store, everyOrg } = world.backend;
    const row = (name: string, summary: string) => ({
      at: '2026-10-15T12:00:00.000Z',
      actor_id: null,
      actor_label: 'system',
      org_id: null,
      action: 'setting.changed',
      target_type: 'setting',
      target_id: name,
      summary,
    });
    const call = store.asServer(everyOrg, async () => {
      // Its commit fails: a summary must be JSON.
      store.audit.insert(row('unreadable', 'not json'));
      // As a read handed to another thread does (readHandedOff): its failure is only logged.
      await store.outsideCall(async () => {}).catch(() => {});
      store.audit.insert(row('written-after', '{}'));
    });
    await expect(call).rejects.toMatchObject({ message: expect.stringMatching(/summary/) });
    expect(await actions()).toEqual([]);
  });

  it('answers a refusal whose failed statement undid the change, and chains none of its entries', async () => {
    const { store, services, everyOrg } = world.backend;
    const refused = store.call(async (enter) => {
      enter(everyOrg);
      services.audit.record(SYSTEM_ACTOR, entry('lost-with-the-change'));
      try {
        store.postgres?.prepare('SELECT 1 / 0').get();
      } catch {
        throw new AppError('CONFLICT', 'Refused after a failed statement.');
      }
    });
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await actions()).toEqual([]);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
  });
});
