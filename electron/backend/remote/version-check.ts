import { CONTRACT_VERSION } from '../../../shared/contract/version';
import type { HttpReply } from './http-request';

/**
 * What `GET /api/version` says about talking to this server: null when both sides speak this
 * contract, otherwise a message naming the side to update. A server without the route predates
 * team mode, so it is the one to update.
 */
export function versionProblem(reply: HttpReply, url: string): string | null {
  const body = reply.json as { app?: unknown; contract?: unknown } | undefined;
  const contract = typeof body?.contract === 'number' ? body.contract : undefined;
  if (reply.status !== 200 || contract === undefined) {
    return `The server at ${url} is too old for this app (it has no version check): update the Orgdeck server.`;
  }
  if (contract === CONTRACT_VERSION) return null;
  const app = typeof body?.app === 'string' ? ` (Orgdeck ${body.app})` : '';
  return contract > CONTRACT_VERSION
    ? `The server at ${url}${app} speaks a newer contract (v${contract}) than this app (v${CONTRACT_VERSION}): update this app.`
    : `The server at ${url}${app} speaks an older contract (v${contract}) than this app (v${CONTRACT_VERSION}): update the Orgdeck server.`;
}
