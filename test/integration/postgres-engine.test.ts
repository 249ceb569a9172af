import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDb } from '../../electron/backend/store/postgres/pg-db';
import {
  type PostgresCluster,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';

describe.skipIf(SKIP_WITHOUT_POSTGRES)('the PostgreSQL connection under the repositories', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.createDatabase('engine');
  }, 120_000);

  afterAll(() => cluster?.stop());

  it('lets one server of several lead the periodic work, and another take over when it stops', () => {
    const first = new PgDb(cluster.url('postgres', 'engine'));
    const second = new PgDb(cluster.url('postgres', 'engine'));
    try {
      expect(first.leadsPeriodicWork()).toBe(true);
      expect(second.leadsPeriodicWork()).toBe(false);
      expect(first.leadsPeriodicWork()).toBe(true);
      first.close();
      expect(second.leadsPeriodicWork()).toBe(true);
    } finally {
      first.close();
      second.close();
    }
  });

  it('refuses a statement from outside the call that holds the connection, and rolls a failed call back', async () => {
    const db = new PgDb(cluster.url('postgres', 'engine'));
    try {
      db.exec('CREATE TABLE notes (text text)');
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const call = db.call(async () => {
        db.prepare("INSERT INTO notes VALUES ('inside')").run();
        await held;
      });
      // The call is open and waiting: a statement of anything else would run inside it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(() => db.prepare('SELECT 1').get()).toThrow(/outside a call/);
      release();
      await call;
      await expect(
        db.call(async () => {
          db.prepare("INSERT INTO notes VALUES ('lost')").run();
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(db.prepare<[], string>('SELECT text FROM notes').pluck().all()).toEqual(['inside']);
    } finally {
      db.close();
    }
  });
});
