import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../shared/contract/envelope';

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * How deep objects and arrays may nest in a request body. No channel's input comes near it; far
 * deeper input (a few KiB of brackets) outgrows the stack of whatever walks it next: the copy to a
 * backend thread, the schema check.
 */
export const MAX_BODY_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether JSON text nests objects and arrays deeper than `limit`; brackets inside strings do not count. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === BACKSLASH) at++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * The body's bytes, up to `limit`. Over it, reading stops and this rejects, but the request is
 * left as it is: destroyed, it took its socket along before the answer (and the request log,
 * which reads the socket's address) was written.
 */
function readBody(req: IncomingMessage, limit: number, tooLarge: () => AppError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        // Nothing more is read: the rest stays unread until the answer closes the connection.
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = () => {
      stop();
      reject(new AppError('VALIDATION', 'The request body could not be read to its end.'));
    };
    // A client gone before the end of its body: an answer for no one, but never a request left waiting.
    const onClose = () => onError();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The request's JSON body; anything else (wrong type, too large, too deep, not JSON) is a VALIDATION error. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('VALIDATION', 'Send the input as JSON with Content-Type: application/json.');
  }
  const tooLarge = () => new AppError('VALIDATION', `The request body is larger than ${limit / 1024} KiB.`);
  // A declared length over the limit is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const text = (await readBody(req, limit, tooLarge)).toString('utf8');
  if (text.trim() === '') return {};
  // Counted on the text, before JSON.parse builds a single object of it.
  if (nestsDeeperThan(text, MAX_BODY_DEPTH))
    throw new AppError('VALIDATION', `The input is nested too deeply: at most ${MAX_BODY_DEPTH} levels.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', 'The request body is not valid JSON.');
  }
}
