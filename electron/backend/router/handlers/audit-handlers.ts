import type { AuditLog } from '../../services/audit-log';
import type { HandlerGroup } from '../handler';

export function auditHandlers(audit: AuditLog): HandlerGroup {
  return {
    'audit.list': (input, { scope }) => audit.list(scope, input),
    'audit.actions': (_input, { scope }) => audit.actions(scope),
    'audit.verify': () => audit.verify(),
  };
}
