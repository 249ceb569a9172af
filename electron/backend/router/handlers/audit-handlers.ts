import type { AuditLog } from '../../services/audit-log';
import { entryForViewer } from '../../services/billing-visibility';
import type { HandlerGroup } from '../handler';

export function auditHandlers(audit: AuditLog): HandlerGroup {
  return {
    'audit.list': (input, { principal, scope }) => {
      const { items, total } = audit.list(scope, input);
      return { items: items.map((entry) => entryForViewer(principal, entry)), total };
    },
    'audit.actions': (_input, { scope }) => audit.actions(scope),
    'audit.verify': () => audit.verify(),
  };
}
