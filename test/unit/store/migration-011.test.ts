import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const T = '2026-01-01T00:00:00.000Z';
const ANN = '00000000-0000-4000-8000-0000000000a1';

describe('migration 11: agent aliases and usage buckets', () => {
  let dir: string;
  let db: SqliteDb;

  beforeEach(() => {
    dir = makeTempDir('orgdeck-migration-11-');
    db = openDatabase(join(dir, 'orgdeck.db'), { migrateTo: 9 });
    db.exec(`INSERT INTO agents (id, handle, name, created_at, updated_at) VALUES ('${ANN}', 'ann', 'Ann', '${T}', '${T}');
      INSERT INTO usage_refs (kind, name) VALUES ('model', 'gpt-4o');`);
    migrate(db, MIGRATIONS, 11);
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  const alias = (source: string, kind: string, value: string) =>
    db
      .prepare('INSERT INTO agent_aliases (source, kind, value, agent_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(source, kind, value, ANN, T);

  it('keeps earlier data and lets a value stand for one agent only', () => {
    expect(db.prepare('SELECT handle FROM agents').pluck().all()).toEqual(['ann']);
    alias('openai', 'api_key', 'key_1');
    expect(() => alias('openai', 'api_key', 'key_1')).toThrow(/UNIQUE|PRIMARY KEY/);
    alias('anthropic', 'api_key', 'key_1');
    expect(() => alias('azure', 'api_key', 'key_2')).toThrow(/CHECK/);
    expect(() => alias('openai', 'org', 'key_2')).toThrow(/CHECK/);
    expect(() => alias('openai', 'api_key', '')).toThrow(/CHECK/);
    // A purged agent takes its aliases with it.
    db.prepare('DELETE FROM agents WHERE id = ?').run(ANN);
    expect(db.prepare('SELECT count(*) FROM agent_aliases').pluck().get()).toBe(0);
  });

  it('holds one row of counts per bucket key', () => {
    const insert =
      db.prepare(`INSERT INTO usage_buckets (source, bucket_start, identities, model, service_tier,
      long_context, day, agent, org, band, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      cache_write_1h_tokens, reasoning_tokens, records) VALUES (?, ?, ?, 1, ?, ?, 20362, 1, 0, 0, 10, 5, 0, 0, 0, 0, 1)`);
    insert.run('openai', 1_759_276_800_000, '[["api_key","key_1"]]', 'standard', 0);
    insert.run('openai', 1_759_276_800_000, '[["api_key","key_1"]]', 'batch', 0);
    insert.run('openai', 1_759_276_800_000, '[["api_key","key_1"]]', 'standard', 1);
    expect(() => insert.run('openai', 1_759_276_800_000, '[["api_key","key_1"]]', 'standard', 0)).toThrow(
      /UNIQUE|PRIMARY KEY/,
    );
    expect(() => insert.run('openai', 1, '[]', 'scale', 0)).toThrow(/CHECK/);
  });
});
