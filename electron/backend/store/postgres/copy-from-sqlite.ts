import Database from 'better-sqlite3';
import pg from 'pg';
import { auditChainChecker, type BrokenAuditLink, type ChainedAuditEntry } from '../audit-chain';
import { StoreTooNewError, schemaVersion } from '../migrate';
import { MIGRATIONS } from '../migrations';
import { COPIED_TABLES, type CopiedTable, isLeftOutOfCopy } from './copy-tables';
import { requireKnownPostgresSchema } from './migrate';

/** Why a copy did not happen or was rolled back; the target holds no copied row. */
export class StoreCopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreCopyError';
  }
}

export interface CopiedTableCount {
  table: string;
  rows: number;
}

export interface StoreCopyReport {
  tables: CopiedTableCount[];
  rows: number;
  /** SQLite tables left out by rule (their content has another form on PostgreSQL, or is SQLite's own). */
  skipped: string[];
  /** Verified on PostgreSQL before the copy was committed: every table's count and the audit chain. */
  verified: { rowCounts: true; auditEntries: number; auditChainIntact: true };
}

export interface StoreCopyOptions {
  sqliteFile: string;
  postgresUrl: string;
  /** Rows per INSERT (default 5,000); fewer rows go when they are large. */
  batchRows?: number;
  /** Called after each batch and once when a table is done. */
  progress?: (table: string, rows: number, tableDone: boolean) => void;
}

const DEFAULT_BATCH_ROWS = 5_000;
/** Large rows (documents, statement PDFs) end a batch early, so one round trip stays small. */
const BATCH_BYTES = 16 * 1024 * 1024;

interface PostgresColumn {
  name: string;
  type: string;
  generated: boolean;
  identity: boolean;
}

function openSource(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new StoreCopyError(`No Orgdeck store to copy at ${file}: ${(error as Error).message}.`);
  }
  const found = schemaVersion(db);
  if (found === MIGRATIONS.length) return refuseResumPending(db, file);
  db.close();
  if (found > MIGRATIONS.length) throw new StoreTooNewError(found, MIGRATIONS.length);
  throw new StoreCopyError(
    `The store at ${file} is at schema version ${found}; this Orgdeck copies version ${MIGRATIONS.length}. ` +
      'Run any command on it first (e.g. `orgdeck doctor --data-dir DIR`), which brings it up to date.',
  );
}

/** A re-priced month still being summed again (SQLite only) would be copied with its old sums. */
function refuseResumPending(db: Database.Database, file: string): Database.Database {
  if (db.prepare('SELECT 1 FROM usage_month_resums LIMIT 1').get() === undefined) return db;
  db.close();
  throw new StoreCopyError(
    `A re-pricing of the store at ${file} is still summing a month again. ` +
      'Run any command on it first (e.g. `orgdeck doctor --data-dir DIR`), which finishes it.',
  );
}

/** The tables left out (SQLite-only or left behind), after refusing a store holding a table this version does not know. */
function skippedTables(source: Database.Database): string[] {
  const names = source
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();
  const known = new Set(COPIED_TABLES.map((table) => table.name));
  const unknown = names.filter((name) => !known.has(name) && !isLeftOutOfCopy(name));
  if (unknown.length > 0)
    throw new StoreCopyError(
      `The store holds tables this Orgdeck does not know how to copy: ${unknown.join(', ')}. ` +
        'Nothing was copied; use the Orgdeck version that wrote the store.',
    );
  return names.filter((name) => !known.has(name));
}

/**
 * Every org id a copied row names, including orgs since purged (statements and audit entries
 * outlive them): the copy's transaction lists them all, as row-level security binds the owner too.
 */
function everyOrgId(source: Database.Database, copied: readonly CopiedTable[]): string {
  const withOrgId = copied.filter(
    (table) =>
      source
        .prepare<[string], number>("SELECT count(*) FROM pragma_table_info(?) WHERE name = 'org_id'")
        .pluck()
        .get(table.name) === 1,
  );
  const ids = source
    .prepare<[], string>(
      [
        'SELECT id FROM orgs',
        "SELECT name FROM usage_refs WHERE kind = 'org'",
        ...withOrgId.map((table) => `SELECT org_id FROM ${table.name} WHERE org_id IS NOT NULL`),
      ].join(' UNION '),
    )
    .pluck()
    .all();
  const withComma = ids.find((id) => id.includes(','));
  if (withComma !== undefined)
    throw new StoreCopyError(
      `The org id ${JSON.stringify(withComma)} holds a comma, which no Orgdeck writes.`,
    );
  return ids.join(',');
}

async function postgresColumns(client: pg.ClientBase, table: string): Promise<PostgresColumn[]> {
  const result = await client.query<PostgresColumn>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type,
            attgenerated <> '' AS generated, attidentity <> '' AS identity
     FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return result.rows;
}

/** The copy lifts and restores row-level security and defers keys, which only the tables' owner may. */
async function requireOwner(client: pg.ClientBase, copied: readonly CopiedTable[]): Promise<void> {
  const notOwned = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
     WHERE relnamespace = 'public'::regnamespace AND relname = ANY ($1)
       AND NOT pg_has_role(current_user, relowner, 'USAGE')`,
    [copied.map((table) => table.name)],
  );
  if (notOwned.rows.length > 0)
    throw new StoreCopyError(
      `The role in --to does not own the tables (${notOwned.rows.map((row) => row.name).join(', ')}). ` +
        'Copy as the owner role, the one `orgdeck migrate` runs as; nothing was copied.',
    );
}

/**
 * Refuses a target holding any row the copy would write: it never merges. Forced row-level
 * security hides rows of orgs the transaction does not name even from the owner, so each check
 * lifts it for its own table, inside the copy's transaction (which keeps the table locked).
 */
async function refuseUnlessEmpty(client: pg.ClientBase, copied: readonly CopiedTable[]): Promise<void> {
  const forced = new Set(
    (
      await client.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class
         WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relforcerowsecurity`,
      )
    ).rows.map((row) => row.name),
  );
  const holding: string[] = [];
  for (const { name, seededByMigrations } of copied) {
    if (seededByMigrations) continue;
    const table = client.escapeIdentifier(name);
    if (forced.has(name)) await client.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
    else await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    const found = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    if (forced.has(name)) await client.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    if (found.rows[0]?.any) holding.push(name);
  }
  if (holding.length > 0)
    throw new StoreCopyError(
      `The target database already holds rows (${holding.join(', ')}); \`store copy\` never merges into a store. ` +
        'Copy into a new database: create it, run `orgdeck migrate --database URL`, then copy. Nothing was changed.',
    );
}

/**
 * A table's rows may name each other in either order (a voided statement names the credit note
 * issued after it, which names it back): such keys are checked once the whole table is in.
 */
async function selfReferences(client: pg.ClientBase): Promise<{ table: string; constraint: string }[]> {
  const result = await client.query<{ table: string; constraint: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS constraint FROM pg_constraint
     WHERE contype = 'f' AND conrelid = confrelid AND connamespace = 'public'::regnamespace`,
  );
  return result.rows;
}

const approximateBytes = (value: unknown): number =>
  typeof value === 'string' ? value.length : Buffer.isBuffer(value) ? value.length : 8;

/** How one table moves: the SQLite read, the PostgreSQL insert, and the identity columns to move on. */
interface TableMove {
  table: CopiedTable;
  read: Database.Statement;
  columnCount: number;
  insert: string;
  identityColumns: string[];
}

/** Matches a table's SQLite columns to PostgreSQL's, refusing a table whose columns differ. */
async function planMove(
  source: Database.Database,
  client: pg.ClientBase,
  table: CopiedTable,
): Promise<TableMove> {
  const read = source
    .prepare(table.select ?? `SELECT * FROM ${table.name}`)
    .raw(true)
    .safeIntegers(true);
  const sourceColumns = read.columns().map((column) => column.name);
  const target = await postgresColumns(client, table.name);
  const byName = new Map(target.map((column) => [column.name, column]));
  const missing = sourceColumns.filter((name) => !byName.has(name));
  const unfed = target.filter((column) => !column.generated && !sourceColumns.includes(column.name));
  if (missing.length > 0 || unfed.length > 0)
    throw new StoreCopyError(
      `The columns of ${table.name} differ between SQLite and PostgreSQL ` +
        `(only on SQLite: ${missing.join(', ') || 'none'}; only on PostgreSQL: ${unfed.map((c) => c.name).join(', ') || 'none'}). ` +
        'Nothing was copied.',
    );
  const insert = `INSERT INTO ${client.escapeIdentifier(table.name)} (${sourceColumns.map((name) => client.escapeIdentifier(name)).join(', ')})
    SELECT * FROM unnest(${sourceColumns.map((name, i) => `$${i + 1}::${byName.get(name)?.type}[]`).join(', ')})`;
  return {
    table,
    read,
    columnCount: sourceColumns.length,
    insert,
    identityColumns: target.filter((column) => column.identity).map((column) => column.name),
  };
}

/** Streams one table's rows from SQLite into PostgreSQL in multi-row batches; returns the count. */
async function copyTable(
  client: pg.ClientBase,
  { table, read, columnCount, insert, identityColumns }: TableMove,
  { batchRows: rowsPerBatch = DEFAULT_BATCH_ROWS, progress }: StoreCopyOptions,
): Promise<number> {
  const quoted = client.escapeIdentifier(table.name);
  if (table.seededByMigrations) await client.query(`DELETE FROM ${quoted}`);
  const emptyColumns = () => Array.from({ length: columnCount }, (): unknown[] => []);
  let columns = emptyColumns();
  let batchRows = 0;
  let batchBytes = 0;
  let rows = 0;
  const flush = async () => {
    if (batchRows === 0) return;
    await client.query(insert, columns);
    rows += batchRows;
    progress?.(table.name, rows, false);
    columns = emptyColumns();
    batchRows = 0;
    batchBytes = 0;
  };
  for (const row of read.iterate() as Iterable<unknown[]>) {
    row.forEach((value, i) => {
      columns[i]?.push(value);
      batchBytes += approximateBytes(value);
    });
    batchRows++;
    if (batchRows >= rowsPerBatch || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  // Identity columns hand out ids past the copied ones.
  for (const column of identityColumns) {
    const name = client.escapeIdentifier(column);
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), max(${name})) FROM ${quoted} HAVING max(${name}) IS NOT NULL`,
      [quoted, column],
    );
  }
  progress?.(table.name, rows, true);
  return rows;
}

/** Every table's count on both sides, then the audit chain recomputed from the copied rows. */
async function verify(
  source: Database.Database,
  client: pg.ClientBase,
  counts: CopiedTableCount[],
): Promise<StoreCopyReport['verified']> {
  const differing: string[] = [];
  for (const { table, rows } of counts) {
    const onSqlite = Number(source.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
    const onPostgres = Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${client.escapeIdentifier(table)}`))
        .rows[0]?.n,
    );
    if (onSqlite !== rows || onPostgres !== rows)
      differing.push(`${table}: ${onSqlite} on SQLite, ${onPostgres} on PostgreSQL`);
  }
  if (differing.length > 0)
    throw new StoreCopyError(`The copy was rolled back: row counts differ (${differing.join('; ')}).`);

  const check = auditChainChecker();
  let broken: BrokenAuditLink | undefined;
  let entries = 0;
  let after = 0;
  for (;;) {
    const page = await client.query<Omit<ChainedAuditEntry, 'id'> & { id: string }>(
      'SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2',
      [after, DEFAULT_BATCH_ROWS],
    );
    for (const row of page.rows) {
      broken ??= check({ ...row, id: Number(row.id) });
      entries++;
    }
    const last = page.rows.at(-1);
    if (!last) break;
    after = Number(last.id);
  }
  if (broken)
    throw new StoreCopyError(
      `The copy was rolled back: the audit chain fails at entry ${broken.id} (${broken.reason}). ` +
        '`orgdeck audit verify --data-dir DIR` checks it on the store itself.',
    );
  return { rowCounts: true, auditEntries: entries, auditChainIntact: true };
}

/**
 * `orgdeck store copy`: copies every table of a SQLite store into an empty PostgreSQL database
 * migrated to this version, keeping ids, in one transaction that commits only once the counts and
 * the audit chain verify. Runs as the owner role; reads the store in one snapshot, so it can run
 * beside a console still using it.
 */
/**
 * PostgreSQL keeps the audit chain's head and each year's last statement number in shared rows
 * (migration 004), which SQLite reads off its tables: they follow the copied rows.
 */
async function moveSharedCounters(client: pg.ClientBase): Promise<void> {
  await client.query(
    `UPDATE audit_chain_head
     SET last_id = coalesce((SELECT max(id) FROM audit_events), 0),
         last_hash = coalesce((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '')
     WHERE id = 1`,
  );
  await client.query(
    `INSERT INTO statement_numbers (year, last_seq) SELECT year, max(seq) FROM statements GROUP BY year
     ON CONFLICT (year) DO UPDATE SET last_seq = excluded.last_seq`,
  );
}

export async function copySqliteStoreToPostgres(options: StoreCopyOptions): Promise<StoreCopyReport> {
  const source = openSource(options.sqliteFile);
  const client = new pg.Client({ connectionString: options.postgresUrl });
  try {
    const copied = COPIED_TABLES;
    const skipped = skippedTables(source);
    source.exec('BEGIN');
    const orgIds = everyOrgId(source, copied);
    await client.connect();
    await requireKnownPostgresSchema(client);
    await requireOwner(client, copied);
    await client.query('BEGIN');
    try {
      await refuseUnlessEmpty(client, copied);
      const moves: TableMove[] = [];
      for (const table of copied) moves.push(await planMove(source, client, table));
      await client.query("SELECT set_config('orgdeck.org_ids', $1, true)", [orgIds]);
      await client.query("SET LOCAL orgdeck.msp_wide = 'on'");
      const deferred = await selfReferences(client);
      for (const { table, constraint } of deferred)
        await client.query(
          `ALTER TABLE ${client.escapeIdentifier(table)} ALTER CONSTRAINT ${client.escapeIdentifier(constraint)} DEFERRABLE INITIALLY DEFERRED`,
        );
      const counts: CopiedTableCount[] = [];
      for (const move of moves)
        counts.push({ table: move.table.name, rows: await copyTable(client, move, options) });
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const { table, constraint } of deferred)
        await client.query(
          `ALTER TABLE ${client.escapeIdentifier(table)} ALTER CONSTRAINT ${client.escapeIdentifier(constraint)} NOT DEFERRABLE`,
        );
      await moveSharedCounters(client);
      const verified = await verify(source, client, counts);
      await client.query('COMMIT');
      return { tables: counts, rows: counts.reduce((sum, t) => sum + t.rows, 0), skipped, verified };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await client.end();
  }
}
