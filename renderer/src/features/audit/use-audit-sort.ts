import { AUDIT_SORTS, type AuditSort } from '../../../../shared/domain/audit-sort';
import { useTableSort } from '../../ui/SortableTable';
import { AUDIT_SORT_INITIAL, AUDIT_SORT_PARAM } from './audit-filters';

/** The trail's sort in the address: newest first unless asked; names start A to Z, time newest first. */
export const useAuditSort = () =>
  useTableSort<AuditSort>(AUDIT_SORT_PARAM, AUDIT_SORTS, AUDIT_SORT_INITIAL, (column) =>
    column === 'time' ? 'desc' : 'asc',
  );
