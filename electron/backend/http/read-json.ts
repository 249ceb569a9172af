import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../shared/contract/envelope';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The request's JSON body; anything else (wrong type, too large, not JSON) is a VALIDATION error. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('VALIDATION', 'Send the input as JSON with Content-Type: application/json.');
  }
  const tooLarge = () => new AppError('VALIDATION', `The request body is larger than ${limit / 1024} KiB.`);
  // A declared length over the limit is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', 'The request body is not valid JSON.');
  }
}
