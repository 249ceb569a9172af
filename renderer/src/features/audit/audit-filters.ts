import { AUDIT_SORTS, type AuditSort } from '../../../../shared/domain/audit-sort';
import { DAY_PATTERN, dayStartIn, nextDay } from '../../../../shared/domain/days';
import type { UrlPatch } from '../../app/use-url-state';
import { type Sort, sortInAddress } from '../../ui/sort-rows';
import type { AuditListInput } from './queries';

/** What the Audit page filters by, as kept in its address. Days are "YYYY-MM-DD", `to` included. */
export interface AuditFilters {
  org?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
}

const FIELDS = ['org', 'actor', 'action', 'from', 'to'] as const;

export function parseFilters(query: string): AuditFilters {
  const params = new URLSearchParams(query);
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const day = (key: string) => {
    const value = text(key);
    return value && DAY_PATTERN.test(value) ? value : undefined;
  };
  const page = Number(params.get('page'));
  return {
    org: text('org'),
    actor: text('actor'),
    action: text('action'),
    from: day('from'),
    to: day('to'),
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The address's filter keys for `filters`: other keys (the sort) stay as they are. */
export function filtersPatch(filters: AuditFilters): UrlPatch {
  const patch: UrlPatch = { page: filters.page > 1 ? String(filters.page) : null };
  for (const field of FIELDS) patch[field] = filters[field] ?? null;
  return patch;
}

export const isFiltered = (filters: AuditFilters) => FIELDS.some((field) => filters[field]);

/** The audit.list input for the filters; a day runs from midnight to midnight in `timeZone`. */
export function listInput(filters: AuditFilters, timeZone: string, pageSize: number): AuditListInput {
  return {
    ...(filters.org ? { org: filters.org } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.from ? { from: dayStartIn(filters.from, timeZone).toISOString() } : {}),
    ...(filters.to ? { to: dayStartIn(nextDay(filters.to), timeZone).toISOString() } : {}),
    page: filters.page,
    pageSize,
  };
}

export const AUDIT_SORT_PARAM = 'sort';
export const AUDIT_SORT_INITIAL: Sort<AuditSort> = { column: 'time', direction: 'desc' };

/** The trail's sort as an address names it (use-audit-sort.ts keeps it there). */
export const auditSortIn = (params: URLSearchParams) =>
  sortInAddress(params, AUDIT_SORT_PARAM, AUDIT_SORTS, AUDIT_SORT_INITIAL);
