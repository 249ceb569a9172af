import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../../../../shared/contract/envelope';
import type { AnyFunction, ArgumentsOf, Db, RunResult, Statement, Transaction } from '../engine';
import { isAbortedTransaction } from '../engine-errors';
import type { OrgScope } from '../org-scope';
import { PgBridge } from './pg-bridge';
import { type PostgresStatement, toPostgres } from './sql-dialect';

/** The settings a transaction names its caller by (current_setting: null when never set). */
type NamedSettings = Record<'org_ids' | 'msp_wide' | 'user_id', string | null>;

const sameNames = (a: NamedSettings | undefined, b: NamedSettings | undefined): boolean =>
  a?.org_ids === b?.org_ids && a?.msp_wide === b?.msp_wide && a?.user_id === b?.user_id;

const OID = { unknown: 0, int8: 20, text: 25, float8: 701, bytea: 17 } as const;

/** The type a value binds as where PostgreSQL cannot tell from the statement: null is text. */
function oidOf(value: unknown): number {
  if (typeof value === 'bigint') return OID.int8;
  if (typeof value === 'number') return Number.isInteger(value) ? OID.int8 : OID.float8;
  if (value instanceof Uint8Array) return OID.bytea;
  return OID.text;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The statements naming a call's orgs, sent as one round trip. The caller's identity is dropped:
 * from here on the scope alone decides.
 */
function enterScope(scope: OrgScope): string {
  const forget = "SET LOCAL orgdeck.user_id = ''";
  if (scope.seesAll)
    return `${forget}; SET LOCAL orgdeck.msp_wide = 'on';
      SELECT set_config('orgdeck.org_ids', coalesce(string_agg(id, ','), ''), true) FROM orgs`;
  return `${forget}; SET LOCAL orgdeck.org_ids = ${quote(scope.limitedTo.join(','))}`;
}

class PgStatement<P extends unknown[], R> implements Statement<P, R> {
  private plucked = false;
  private bigints = false;

  constructor(
    private readonly db: PgDb,
    private readonly sql: PostgresStatement,
  ) {}

  pluck(toggle = true): this {
    this.plucked = toggle;
    return this;
  }

  safeIntegers(toggle = true): this {
    this.bigints = toggle;
    return this;
  }

  run(...params: P): RunResult {
    this.db.checkTurn();
    const values = this.values(params);
    const { changes } = this.db.bridge.query(this.sql.text, values, this.bigints, this.types(values));
    return {
      changes,
      get lastInsertRowid(): never {
        throw new Error('PostgreSQL has no last insert rowid: the statement returns its id (RETURNING).');
      },
    };
  }

  get(...params: P): R | undefined {
    return this.rows(params)[0];
  }

  all(...params: P): R[] {
    return this.rows(params);
  }

  iterate(...params: P): IterableIterator<R> {
    return this.rows(params)[Symbol.iterator]();
  }

  private rows(params: P): R[] {
    this.db.checkTurn();
    const values = this.values(params);
    const answer = this.db.bridge.query(this.sql.text, values, this.bigints, this.types(values));
    if (!this.plucked) return answer.rows as R[];
    const [first = ''] = answer.columns;
    return answer.rows.map((row) => row[first] as R);
  }

  private types(values: unknown[]): number[] {
    if (this.sql.typedByValue.length === 0) return [];
    const types: number[] = values.map(() => OID.unknown);
    for (const index of this.sql.typedByValue) types[index] = oidOf(values[index]);
    return types;
  }

  /** better-sqlite3's binding rules: one object of named values, or positional values (arrays flattened). */
  private values(params: unknown[]): unknown[] {
    const bound = (value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
    if (this.sql.names) {
      const named = params[0] as Record<string, unknown> | undefined;
      return this.sql.names.map((name) => {
        if (!named || !(name in named)) throw new RangeError(`Missing named parameter "${name}"`);
        return bound(named[name]);
      });
    }
    return params.flat().map(bound);
  }
}

/** A transaction or savepoint begun: its savepoint's name, and how many writes were held before it. */
interface Step {
  savepoint: string;
  heldBefore: number;
}

/** One router call on the connection, across its awaits. */
interface CallContext {
  /** False once the call has ended, and while it is stepped out of its transaction (outsideCall). */
  open: boolean;
  /** Ends the call's turn on the connection. */
  release: () => void;
  /** The orgs the router named for the call, named again when it goes on after outsideCall. */
  scope?: OrgScope;
  /** Why its transaction failed to commit in outsideCall: the call cannot go on without it. */
  commitFailed?: unknown;
}

/**
 * A PostgreSQL connection with better-sqlite3's synchronous API (engine.ts), so the repositories
 * run on it unchanged but for their SQLite-only idioms (sql-dialect.ts).
 *
 * Every router call runs in one transaction that first names the orgs its OrgScope allows
 * (`call`): row-level security then hides and refuses every other org's rows, whatever a
 * query forgets. Transactions a repository opens inside a call are savepoints of it.
 */
export class PgDb implements Db {
  readonly engine = 'postgres';
  readonly bridge: PgBridge;
  private readonly statements = new Map<string, PostgresStatement>();
  private depth = 0;
  /**
   * Writes held back to just before the outermost transaction commits (atCommit), each with the
   * orgs named when it was asked for; a savepoint rolled back drops those asked for inside it.
   */
  private held: { named: NamedSettings | undefined; write: () => void }[] = [];
  /** Calls on one connection take turns: a call's transaction is the connection's. */
  private turn: Promise<unknown> = Promise.resolve();
  private leader = false;
  /** Set for the duration of a call, across its awaits. */
  private readonly callContext = new AsyncLocalStorage<CallContext>();

  /** `url`: the database and role, for a connection of its own beside this one (the usage import's). */
  constructor(readonly url: string) {
    this.bridge = new PgBridge(url);
  }

  prepare<P extends unknown[] | object = unknown[], R = unknown>(
    source: string,
  ): P extends unknown[] ? Statement<P, R> : Statement<[P], R> {
    let translated = this.statements.get(source);
    if (!translated) {
      translated = toPostgres(source);
      this.statements.set(source, translated);
    }
    return new PgStatement(this, translated) as unknown as P extends unknown[]
      ? Statement<P, R>
      : Statement<[P], R>;
  }

  transaction<F extends AnyFunction>(fn: F): Transaction<F> {
    const run = (...params: ArgumentsOf<F>) => this.inTransaction(() => fn(...params) as ReturnType<F>);
    return Object.assign(run, { immediate: run });
  }

  exec(source: string): void {
    this.bridge.simple(source);
  }

  /**
   * One router call: a transaction that sees no org's rows until `enter` names the orgs of the
   * scope the router minted. A scope that sees every org (owner, admin) names every org
   * explicitly, and rows of no org (msp_wide). Before that, only the caller's own memberships and
   * their orgs are readable (`asUser`), which is what resolving the caller needs.
   *
   * A call refused with an AppError keeps what it wrote before refusing (a failed sign-in's audit
   * entry), as it does on SQLite, where only a repository's own transaction is undone: those are
   * savepoints here, already rolled back. Any other error undoes the whole call.
   */
  async call<T>(work: (enter: (scope: OrgScope) => void) => Promise<T>): Promise<T> {
    if (this.callContext.getStore()?.open) return this.nestedCall(work);
    const context: CallContext = { open: true, release: await this.takeTurn() };
    try {
      return await this.callContext.run(context, () => this.callTransaction(context, work));
    } finally {
      // Work the call started and left running (a webhook delivery) is not part of it any more.
      context.open = false;
      context.release();
    }
  }

  /** Waits for the calls before this one to end; the answer ends this one's turn. */
  private async takeTurn(): Promise<() => void> {
    const previous = this.turn;
    let release = () => {};
    this.turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  private async callTransaction<T>(
    context: CallContext,
    work: (enter: (scope: OrgScope) => void) => Promise<T>,
  ): Promise<T> {
    this.bridge.simple('BEGIN');
    this.depth += 1;
    try {
      const value = await work((scope) => {
        context.scope = scope;
        this.bridge.simple(enterScope(scope));
      });
      if (context.commitFailed !== undefined) throw context.commitFailed;
      this.commitOutermost();
      return value;
    } catch (error) {
      if (this.depth === 0) throw error; // commitOutermost failed, and rolled back
      if (!(error instanceof AppError)) {
        this.rollBackOutermost();
        throw error;
      }
      try {
        this.commitOutermost();
      } catch (heldWriteError) {
        // A statement the AppError came from aborted the transaction: COMMIT would roll it back
        // anyway, held writes included; any other failure of a held write is the call's.
        if (!isAbortedTransaction(heldWriteError)) throw heldWriteError;
      }
      throw error;
    }
  }

  /**
   * Runs `write` just before the outermost transaction commits, in the orgs named now; at once,
   * in a transaction of its own, when none is open. For a shared row every writer takes (the audit
   * trail's head): locked last, it is held only while the commit is made, and a transaction that
   * holds it waits for no other lock, so no wait for it is ever half of a deadlock.
   */
  atCommit(write: () => void): void {
    // Asked for by work that is not the open call's, it would be committed with that call.
    this.checkTurn();
    if (this.depth === 0) this.inTransaction(write);
    else this.held.push({ named: this.namedNow(), write });
  }

  /** Writes the held writes, then commits the outermost transaction; on failure, rolls it back. */
  private commitOutermost(): void {
    try {
      // A held write may ask for another: it is written too, before the commit.
      for (let index = 0; index < this.held.length; index++) {
        const { named, write } = this.held[index] as (typeof this.held)[number];
        if (index === 0 || !sameNames(named, this.held[index - 1]?.named)) this.nameAgain(named);
        write();
      }
      this.held = [];
    } catch (error) {
      this.rollBackOutermost();
      throw error;
    }
    this.depth -= 1;
    this.bridge.simple('COMMIT');
  }

  private rollBackOutermost(): void {
    this.held = [];
    this.depth -= 1;
    this.bridge.simple('ROLLBACK');
  }

  /**
   * Slow work of a call that needs no store (extracting a file's text): the call commits what it
   * wrote so far and gives up its turn, so other calls on this connection are answered meanwhile;
   * then it takes a turn again and goes on in a new transaction, in the orgs it had named. Only at
   * the top of a call: inside a repository's transaction or the server's nested work it would split
   * a unit of work. Outside any call it simply runs `work`.
   */
  async outsideCall<T>(work: () => Promise<T>): Promise<T> {
    const context = this.callContext.getStore();
    if (!context?.open) return work();
    if (this.depth !== 1)
      throw new Error('A call stepped out of its transaction inside a nested one: that would split it.');
    try {
      this.commitOutermost();
    } catch (error) {
      // Rolled back: whatever caught this must not go on writing outside any transaction.
      context.commitFailed = error;
      throw error;
    }
    context.open = false;
    context.release();
    try {
      return await work();
    } finally {
      context.release = await this.takeTurn();
      context.open = true;
      this.bridge.simple('BEGIN');
      this.depth += 1;
      if (context.scope) this.bridge.simple(enterScope(context.scope));
    }
  }

  /**
   * The server's own work started by a call (budget alerts after an import): a savepoint of the
   * call, which may name other orgs for its duration; the call's own orgs are named again after.
   */
  private async nestedCall<T>(work: (enter: (scope: OrgScope) => void) => Promise<T>): Promise<T> {
    const named = this.namedNow();
    try {
      return await this.inTransaction(() => work((scope) => this.bridge.simple(enterScope(scope))));
    } finally {
      this.nameAgain(named);
    }
  }

  /**
   * A synchronous step of the open call in `scope` (the server's own reads, for what it keeps for
   * every caller: the billing snapshot): a savepoint of the call naming the scope's orgs, the
   * call's own named again after, before anything else of the call runs, even when the step throws.
   * nestedCall names them again only once its work's promise settles, after an await.
   */
  inScope<T>(scope: OrgScope, work: () => T): T {
    if (!this.callContext.getStore()?.open)
      throw new Error('PgDb.inScope is a step of a call: outside one, use Store.asServer.');
    const named = this.namedNow();
    try {
      return this.inTransaction(() => {
        this.bridge.simple(enterScope(scope));
        const result = work();
        // Its orgs would stay named for whatever the call does while it runs.
        if (result instanceof Promise)
          throw new Error('PgDb.inScope takes synchronous work: use Store.asServer.');
        return result;
      });
    } finally {
      this.nameAgain(named);
    }
  }

  /** What the open transaction names now: its orgs, whether it sees every org, the user it acts as. */
  private namedNow(): NamedSettings | undefined {
    return this.bridge.query(
      `SELECT current_setting('orgdeck.org_ids', true) AS org_ids,
              current_setting('orgdeck.msp_wide', true) AS msp_wide,
              current_setting('orgdeck.user_id', true) AS user_id`,
      [],
    ).rows[0] as NamedSettings | undefined;
  }

  /** Names again what `namedNow` read, after a step named other orgs (enterScope). */
  private nameAgain(named: NamedSettings | undefined): void {
    this.bridge.query(
      `SELECT set_config('orgdeck.org_ids', $1, true), set_config('orgdeck.msp_wide', $2, true),
              set_config('orgdeck.user_id', $3, true)`,
      [named?.org_ids ?? '', named?.msp_wide ?? '', named?.user_id ?? ''],
      false,
      [25, 25, 25],
    );
  }

  /**
   * Whether this connection leads the periodic work (purges, alert rounds) of the servers sharing
   * the database: the first to take a session advisory lock does, until its connection ends, when
   * the next server to ask takes over. So that work runs once, not once per server.
   */
  leadsPeriodicWork(): boolean {
    this.leader ||=
      this.bridge.query("SELECT pg_try_advisory_lock(hashtext('orgdeck periodic work'))::int AS taken", [])
        .rows[0]?.taken === 1;
    return this.leader;
  }

  /**
   * A statement while a call's transaction is open must come from that call: anything else would
   * run inside it, with its orgs. Such work goes through call() (Store.call) to take its turn.
   */
  checkTurn(): void {
    const context = this.callContext.getStore();
    if (context?.commitFailed !== undefined) throw context.commitFailed;
    if (this.depth > 0 && !context?.open)
      throw new Error('The PostgreSQL store was used outside a call while one was open: use Store.call.');
  }

  /**
   * Runs `work` as `userId` (orgdeck.user_id), who may then read their own memberships and the
   * orgs those name: what resolving a caller takes. The name is dropped again afterwards, so it
   * widens nothing for the rest of the call.
   */
  asUser<T>(userId: string, work: () => T): T {
    const name = (id: string) =>
      this.bridge.query(
        "SELECT current_setting('orgdeck.user_id', true) AS previous, set_config('orgdeck.user_id', $1, true)",
        [id],
      ).rows[0]?.previous;
    const previous = name(userId);
    try {
      return work();
    } finally {
      name(typeof previous === 'string' ? previous : '');
    }
  }

  private inTransaction<T>(work: () => T): T {
    const outermost = this.depth === 0;
    const step: Step = { savepoint: `orgdeck_${this.depth}`, heldBefore: this.held.length };
    this.bridge.simple(outermost ? 'BEGIN' : `SAVEPOINT ${step.savepoint}`);
    this.depth += 1;
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.undoStep(outermost, step);
      throw error;
    }
    if (result instanceof Promise) return this.settle(result, outermost, step) as T;
    this.endStep(outermost, step);
    return result;
  }

  private async settle<T>(result: Promise<T>, outermost: boolean, step: Step): Promise<T> {
    let value: T;
    try {
      value = await result;
    } catch (error) {
      this.undoStep(outermost, step);
      throw error;
    }
    this.endStep(outermost, step);
    return value;
  }

  /** Ends a transaction or savepoint that succeeded. */
  private endStep(outermost: boolean, step: Step): void {
    if (outermost) {
      this.commitOutermost();
      return;
    }
    this.depth -= 1;
    this.bridge.simple(`RELEASE SAVEPOINT ${step.savepoint}`);
  }

  /** Undoes a transaction or savepoint that failed, and the writes held back in it. */
  private undoStep(outermost: boolean, step: Step): void {
    if (outermost) {
      this.rollBackOutermost();
      return;
    }
    this.held.length = step.heldBefore;
    this.depth -= 1;
    this.bridge.simple(`ROLLBACK TO SAVEPOINT ${step.savepoint}`);
  }

  close(): void {
    this.bridge.close();
  }
}
