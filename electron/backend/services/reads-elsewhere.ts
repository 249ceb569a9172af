import { type ApiError, AppError } from '../../../shared/contract/envelope';
import type { Logger } from '../logger';
import type { OrgRows } from '../store/repos/transfer-repo';
import type { Store } from '../store/store';
import type { BudgetReading } from './alerts-service';

/**
 * Slow reads the writer hands to another connection: in a backend host, a reader thread reads
 * while the writer goes on answering writes, and only what the read leads to is written after in
 * the store. At 10M usage rows a budget check's read takes seconds, an org export's over one, and
 * a backup's copy (a read of every page, written to its own file) several.
 */
export interface ReadsElsewhere {
  /** Every budgeted org's reading at `at` (epoch ms): AlertsService.readBudgets. */
  budgets(at: number): Promise<BudgetReading[]>;
  /** An org's rows for its archive, read in every org's scope: TransferService.readOrgRows. */
  orgRows(orgId: string): Promise<OrgRows | undefined>;
  /**
   * The store copied to `out` as it was when the copy began (BackupsService.copySnapshot): the
   * copy's steps and its closing sync take seconds at 1.6 GB, on a thread no write waits for.
   */
  copySnapshot(out: string): Promise<void>;
}

/**
 * The host's answer when no reader is open to take a read (none started, or all failed): the
 * writer may then do it itself. Marked in `details`, as a reader closing with Orgdeck also answers
 * UNAVAILABLE, and then the writer must not start the work over.
 */
export const NO_READER: ApiError = {
  code: 'UNAVAILABLE',
  message: 'No reader is open to read for the writer.',
  details: { noReader: true },
};

/** Whether a handed-off read failed for want of a reader (NO_READER), not in one. */
export const noReaderOpen = (error: unknown): boolean =>
  error instanceof AppError &&
  error.code === NO_READER.code &&
  (error.details as { noReader?: unknown } | undefined)?.noReader === true;

/** One of those reads as it crosses from the writer's thread to a reader's. */
export type WriterRead =
  | { kind: 'budgets'; at: number }
  | { kind: 'orgRows'; orgId: string }
  | { kind: 'copySnapshot'; out: string };

/**
 * A read handed to another thread, awaited outside the caller's transaction (Store.outsideCall: a
 * PostgreSQL call holds no connection meanwhile). Undefined when no reader answered, which is
 * logged as "<what> read on the writer: no reader answered": the caller then reads on its own thread.
 */
export async function readHandedOff<T>(
  store: Store,
  logger: Logger,
  what: string,
  read: () => Promise<T>,
): Promise<{ value: T } | undefined> {
  try {
    return { value: await store.outsideCall(read) };
  } catch (error) {
    logger.error(`${what} read on the writer: no reader answered`, {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
