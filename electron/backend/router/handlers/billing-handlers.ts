import type { MarginsService } from '../../services/margins-service';
import type { PricesService } from '../../services/prices-service';
import type { UploadsService } from '../../services/uploads-service';
import type { UsageService } from '../../services/usage-service';
import type { HandlerGroup } from '../handler';

export function billingHandlers(
  prices: PricesService,
  uploads: UploadsService,
  usage: UsageService,
  margins: MarginsService,
): HandlerGroup {
  return {
    'prices.list': () => prices.list(),
    'prices.set': (input, { principal }) => prices.set(principal, input),
    'prices.previewLitellm': ({ content, from }, { principal }) => prices.preview(principal, content, from),
    'prices.importLitellm': ({ content, from }, { principal }) =>
      prices.importLitellm(principal, content, from),
    'uploads.begin': ({ fileName, size, purpose }, { principal }) => ({
      uploadId: uploads.begin(principal, fileName, size, purpose ?? null),
    }),
    'uploads.chunk': async ({ uploadId, offset, data }, { principal }) => ({
      received: await uploads.append(principal, uploadId, offset, data),
    }),
    'uploads.cancel': ({ uploadId }, { principal }) => {
      uploads.cancel(principal, uploadId);
      return {};
    },
    'usage.import': ({ uploadId, format }, { principal }) => usage.importUpload(principal, uploadId, format),
    'usage.undo': ({ jobId }, { principal }) => usage.undo(principal, jobId),
    'jobs.get': ({ id }) => usage.job(id),
    'jobs.list': () => usage.jobs(),
    'billing.margins': ({ month, org }, { scope }) => margins.month(scope, month, org),
    'billing.agent': ({ month, agentId }, { scope }) => margins.agentMonth(scope, month, agentId),
    'billing.trend': ({ month, org, months }, { scope }) => margins.trend(scope, month, months, org),
  };
}
