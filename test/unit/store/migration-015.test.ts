import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const T = '2026-01-01T00:00:00.000Z';
const BUCKET = `INSERT INTO usage_buckets (source, bucket_start, identities, model, service_tier, long_context,
  day, agent, org, band, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  cache_write_1h_tokens, reasoning_tokens, records)
  VALUES ('anthropic', 1790812800000, '[["api_key","k"]]', 1, 'standard', 0, 20727, 1, 0, 0, 10, 5, 0, 0, 0, 0, 1)`;

describe('migration 15: provider buckets remember which import brought their counts and what they replaced', () => {
  let dir: string;
  let db: SqliteDb;

  beforeEach(() => {
    dir = makeTempDir('orgdeck-migration-15-');
    db = openDatabase(join(dir, 'orgdeck.db'), { migrateTo: 14 });
    db.exec(`INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at, format)
        VALUES ('job-old', 'usage', 'old.json', 'done', 1, 'owner', 1, '${T}', 'anthropic');
      INSERT INTO usage_jobs (job_id) VALUES ('job-old');
      ${BUCKET};`);
    migrate(db, MIGRATIONS, 15);
  });
  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('keeps the buckets as imported by no known job, and marks earlier imports as keeping nothing', () => {
    expect(db.prepare('SELECT job, input_tokens FROM usage_buckets').all()).toEqual([
      { job: 0, input_tokens: 10 },
    ]);
    expect(db.prepare('SELECT keeps_replaced_buckets FROM usage_jobs').pluck().all()).toEqual([0]);
    db.exec(`INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at, format)
        VALUES ('job-new', 'usage', 'new.json', 'done', 1, 'owner', 1, '${T}', 'anthropic');
      INSERT INTO usage_jobs (job_id) VALUES ('job-new');`);
    expect(
      db.prepare("SELECT keeps_replaced_buckets FROM usage_jobs WHERE job_id = 'job-new'").pluck().get(),
    ).toBe(1);
  });

  it('holds one replaced version per bucket and replacing import', () => {
    const keep = db.prepare(`INSERT INTO usage_bucket_versions (source, bucket_start, identities, model,
      service_tier, long_context, job, replaced_by, day, agent, org, band, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
      VALUES ('anthropic', 1790812800000, '[["api_key","k"]]', 1, ?, 0, ?, ?, 20727, 1, 0, 0, 10, 5, 0, 0, 0, 0, 1)`);
    keep.run('standard', 1, 2);
    keep.run('standard', 2, 3);
    expect(() => keep.run('standard', 4, 2)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => keep.run('scale', 1, 5)).toThrow(/CHECK/);
  });
});
