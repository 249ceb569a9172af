import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteDb } from '../../../electron/backend/store/database';
import { rowsWriter, type SqlValue } from '../../../electron/backend/store/repos/rows-writer';

let db: SqliteDb | undefined;
afterEach(() => db?.close());

describe('rowsWriter', () => {
  // Around each statement size (500, 25, 1): every row lands once, in order, whatever the count.
  it.each([0, 1, 24, 25, 26, 499, 500, 501, 1037])('writes %i rows, each once', (count) => {
    db = new Database(':memory:') as unknown as SqliteDb;
    db.exec('CREATE TABLE t (n INTEGER NOT NULL, label TEXT, note TEXT)');
    const write = rowsWriter(db, 'INSERT INTO t (n, label, note)', 3);
    const flat: SqlValue[] = [];
    for (let n = 0; n < count; n++) flat.push(n, `row ${n}`, n % 2 === 0 ? null : 'odd');
    write(flat);
    const rows = db.prepare('SELECT n, label, note FROM t ORDER BY rowid').all();
    expect(rows).toEqual(
      Array.from({ length: count }, (_, n) => ({ n, label: `row ${n}`, note: n % 2 === 0 ? null : 'odd' })),
    );
  });
});
