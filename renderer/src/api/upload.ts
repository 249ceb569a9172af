import type { UploadPurpose } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { call } from './client';

/** The server takes at most 512 KiB (decoded) per chunk. */
export const CHUNK_BYTES = 512 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Sends a file through uploads.begin / uploads.chunk, one chunk at a time in order, and returns
 * the upload's id. A chunk the server says it did not expect resumes from what it has. An upload
 * that fails or is cancelled half-way is abandoned on the server, so it holds no place there.
 */
export async function uploadFile(
  file: File,
  purpose: UploadPurpose,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const { uploadId } = await call('uploads.begin', { fileName: file.name, size: file.size, purpose });
  try {
    await sendChunks(uploadId, file, onProgress, signal);
  } catch (error) {
    await call('uploads.cancel', { uploadId }).catch(() => {});
    throw error;
  }
  return uploadId;
}

async function sendChunks(
  uploadId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  let offset = 0;
  onProgress(0, file.size);
  while (offset < file.size) {
    if (signal?.aborted) throw new AppError('CONFLICT', 'The upload was cancelled.');
    const bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    try {
      offset = (await call('uploads.chunk', { uploadId, offset, data: toBase64(bytes) })).received;
    } catch (error) {
      const received = (error as AppError).details as { received?: number } | undefined;
      if (!(error instanceof AppError && error.code === 'CONFLICT' && typeof received?.received === 'number'))
        throw error;
      offset = received.received;
    }
    onProgress(offset, file.size);
  }
}
