import type { StatementsService } from '../../services/statements-service';
import type { HandlerGroup } from '../handler';

export function statementHandlers(statements: StatementsService): HandlerGroup {
  return {
    'statements.close': ({ month, org }, { principal, scope }) =>
      statements.close(principal, scope, month, org),
    'statements.void': ({ number, reason }, { principal, scope }) =>
      statements.void(principal, scope, number, reason),
    'statements.list': ({ org }, { scope }) => statements.list(scope, org),
    'statements.get': ({ number }, { scope }) => statements.document(scope, number),
    'statements.view': ({ number }, { scope }) => statements.view(scope, number),
    'statements.file': ({ number, format }, { principal, scope }) =>
      statements.file(principal, scope, number, format),
    'statements.pending': ({ org }, { scope }) => statements.pending(scope, org),
    'statements.usage': ({ month, org }, { scope }) => statements.usage(scope, month, org),
  };
}
