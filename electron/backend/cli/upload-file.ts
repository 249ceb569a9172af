import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CliBackend } from './cli-context';
import { CliFailure, callAsOwner } from './cli-context';

const CHUNK = 384 * 1024;

/** Sends a local file through the same chunked upload the console uses; returns the upload's id. */
export async function uploadFile(backend: CliBackend, file: string): Promise<string> {
  const bytes = await readFile(file).catch(() => {
    throw new CliFailure({ code: 'NOT_FOUND', message: `Cannot read ${file}.` });
  });
  if (bytes.length === 0) throw new CliFailure({ code: 'VALIDATION', message: `${file} is empty.` });
  const { uploadId } = await callAsOwner(backend, 'uploads.begin', {
    fileName: basename(file),
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const data = bytes.subarray(offset, offset + CHUNK).toString('base64');
    await callAsOwner(backend, 'uploads.chunk', { uploadId, offset, data });
  }
  return uploadId;
}
