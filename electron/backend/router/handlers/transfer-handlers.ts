import type { TransferService } from '../../services/transfer-service';
import type { HandlerGroup } from '../handler';

export function transferHandlers(transfer: TransferService): HandlerGroup {
  return {
    'orgs.export': ({ id }, { principal, scope }) => transfer.exportOrg(principal, scope, id),
    'orgs.importPreview': ({ uploadId }, { principal }) => transfer.preview(principal, uploadId),
    'orgs.importApply': ({ importId, slug }, { principal, scope }) =>
      transfer.apply(principal, scope, importId, slug),
  };
}
