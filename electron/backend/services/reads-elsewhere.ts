import type { OrgRows } from '../store/repos/transfer-repo';
import type { BudgetReading } from './alerts-service';

/**
 * Slow reads the writer hands to another connection: in a backend host, a reader thread reads
 * while the writer goes on answering writes, and only what the read leads to is written after.
 * At 10M usage rows a budget check's read takes seconds, an org export's over one.
 */
export interface ReadsElsewhere {
  /** Every budgeted org's reading at `at` (epoch ms): AlertsService.readBudgets. */
  budgets(at: number): Promise<BudgetReading[]>;
  /** An org's rows for its archive, read in every org's scope: TransferService.readOrgRows. */
  orgRows(orgId: string): Promise<OrgRows | undefined>;
}

/** One of those reads as it crosses from the writer's thread to a reader's. */
export type WriterRead = { kind: 'budgets'; at: number } | { kind: 'orgRows'; orgId: string };
