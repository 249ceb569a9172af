import type { ApiError } from '../../../shared/contract/envelope';
import { CONTRACT_VERSION } from '../../../shared/contract/version';

/**
 * A client that names its contract version gets a refusal naming the side to update, rather
 * than a baffling VALIDATION or NOT_FOUND on whichever call changed. A client that names none (a
 * browser on the served console, curl) is not checked: the console it runs is this server's own.
 */
export function contractMismatch(header: string | string[] | undefined): ApiError | null {
  if (header === undefined) return null;
  const sent = Array.isArray(header) ? header[0] : header;
  const client = /^\d{1,9}$/.test(sent?.trim() ?? '') ? Number(sent) : null;
  if (client === CONTRACT_VERSION) return null;
  const server = CONTRACT_VERSION;
  const heard =
    client === null ? 'this console sent no readable contract version' : `this console speaks ${client}`;
  const fix =
    client !== null && client > server
      ? 'update the Orgdeck server (or ask whoever runs it to).'
      : 'update Orgdeck on this computer.';
  return {
    code: 'VERSION_MISMATCH',
    message: `This Orgdeck server speaks contract ${server}; ${heard}: ${fix}`,
    details: { server, client },
  };
}
