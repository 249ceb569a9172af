import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { UploadPurpose } from '../../../shared/contract/billing';
import type { CliBackend } from './cli-context';
import { CliFailure, callAsOwner } from './cli-context';

const CHUNK = 384 * 1024;

/**
 * Sends a local file through the same chunked upload the console uses, one chunk in memory at a
 * time; returns the upload's id.
 */
export async function uploadFile(backend: CliBackend, file: string, purpose: UploadPurpose): Promise<string> {
  const handle = await open(file, 'r').catch(() => {
    throw new CliFailure({ code: 'NOT_FOUND', message: `Cannot read ${file}.` });
  });
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new CliFailure({ code: 'VALIDATION', message: `${file} is empty.` });
    const { uploadId } = await callAsOwner(backend, 'uploads.begin', {
      fileName: basename(file),
      size,
      purpose,
    });
    const chunk = Buffer.alloc(CHUNK);
    for (let offset = 0; offset < size; offset += CHUNK) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, offset);
      const data = chunk.subarray(0, bytesRead).toString('base64');
      await callAsOwner(backend, 'uploads.chunk', { uploadId, offset, data });
    }
    return uploadId;
  } finally {
    await handle.close();
  }
}
