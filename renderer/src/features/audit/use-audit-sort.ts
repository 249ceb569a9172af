import { AUDIT_SORTS, type AuditSort } from '../../../../shared/contract/audit';
import { useTableSort } from '../../ui/SortableTable';

/** The trail's sort in the address: newest first unless asked; names start A to Z, time newest first. */
export const useAuditSort = () =>
  useTableSort<AuditSort>('sort', AUDIT_SORTS, { column: 'time', direction: 'desc' }, (column) =>
    column === 'time' ? 'desc' : 'asc',
  );
