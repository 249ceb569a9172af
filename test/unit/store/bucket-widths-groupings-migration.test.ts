import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { bucketWidthsGroupings } from '../../../electron/backend/store/migrations/027-bucket-widths-groupings';
import { createUsageBucketsRepo } from '../../../electron/backend/store/repos/usage-buckets-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = bucketWidthsGroupings.version;
const OCTOBER_1 = 1_790_812_800_000;
const KEY = {
  source: 'anthropic',
  bucket_start: OCTOBER_1,
  identities: '[["api_key","k"]]',
  model: 1,
  service_tier: 'standard',
  long_context: 0,
  grouped_by: '[]',
} as const;
const COUNTS = `20727, 1, 0, 0, 10, 5, 0, 0, 0, 0, 1`;
const COUNT_COLUMNS = `day, agent, org, band, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  cache_write_1h_tokens, reasoning_tokens, records`;

let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-bucket-widths-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

/** A bucket of KEY's usage, its start, grouping values and end as given. */
const insertBucket = (start: number, groupedBy: string, end: number | null) =>
  db
    .prepare(`INSERT INTO usage_buckets (source, bucket_start, bucket_end, identities, model, service_tier,
      long_context, grouped_by, ${COUNT_COLUMNS}, requests, job)
      VALUES ('anthropic', ?, ?, '[["api_key","k"]]', 1, 'standard', 0, ?, ${COUNTS}, 1, 2)`)
    .run(start, end, groupedBy);

describe(`migration ${VERSION} (${bucketWidthsGroupings.name})`, () => {
  it('from an empty file: buckets of one start apart by their grouping values, each with its end', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    insertBucket(OCTOBER_1, '[]', OCTOBER_1 + 86_400_000);
    insertBucket(OCTOBER_1, '[["inference_geo","us"]]', OCTOBER_1 + 86_400_000);
    expect(() => insertBucket(OCTOBER_1, '[]', OCTOBER_1 + 3_600_000)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insertBucket(OCTOBER_1 + 86_400_000, '[]', OCTOBER_1)).toThrow(/CHECK/);
    const buckets = createUsageBucketsRepo(db);
    // A day's bucket over the hours of the same usage overlaps them; the next day's does not.
    expect(
      buckets.overlapping({ ...KEY, bucket_start: OCTOBER_1 + 3_600_000 }, OCTOBER_1 + 7_200_000),
    ).toEqual({ bucket_start: OCTOBER_1, bucket_end: OCTOBER_1 + 86_400_000, job: 2 });
    expect(
      buckets.overlapping({ ...KEY, bucket_start: OCTOBER_1 + 86_400_000 }, OCTOBER_1 + 2 * 86_400_000),
    ).toBeUndefined();
  });

  it(`from version ${VERSION - 1} with buckets and replaced counts: kept ungrouped, their ends unknown`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.exec(`
      INSERT INTO usage_buckets (source, bucket_start, identities, model, service_tier, long_context,
        ${COUNT_COLUMNS}, job)
        VALUES ('anthropic', ${OCTOBER_1}, '[["api_key","k"]]', 1, 'standard', 0, ${COUNTS}, 3);
      INSERT INTO usage_bucket_versions (source, bucket_start, identities, model, service_tier, long_context,
        job, replaced_by, ${COUNT_COLUMNS})
        VALUES ('anthropic', ${OCTOBER_1}, '[["api_key","k"]]', 1, 'standard', 0, 2, 3, ${COUNTS});
    `);
    const versionBefore = db.prepare('SELECT * FROM usage_bucket_versions').get();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM usage_bucket_versions').get()).toEqual({
      ...(versionBefore as object),
      bucket_end: null,
      grouped_by: '[]',
      requests: null,
    });
    // The repository reads the bucket by its key, grouped by nothing, as imports found it before.
    expect(createUsageBucketsRepo(db).get(KEY)).toMatchObject({
      job: 3,
      bucket_end: null,
      requests: null,
      input_tokens: 10,
      output_tokens: 5,
    });
    expect(
      db.prepare("SELECT name FROM pragma_index_list('usage_buckets') WHERE origin = 'c'").pluck().all(),
    ).toEqual(['usage_buckets_job']);
  });
});
