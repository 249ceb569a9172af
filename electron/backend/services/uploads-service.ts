import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UPLOAD_LIMITS, type UploadPurpose } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { DAY_MS } from '../../../shared/domain/days';
import { processAlive } from '../process-alive';
import type { Principal } from './principal';

const MAX_CHUNK_BYTES = 512 * 1024;
/** A file older than this is removed at a start even if its process id was reused by a live process. */
const STALE_MS = DAY_MS;
/** Unfinished uploads one user may hold at once. */
const MAX_OPEN_PER_USER = 8;
/** An upload nothing was sent to for this long was abandoned (a closed window, a lost connection). */
const IDLE_MS = 30 * 60_000;

/**
 * Upload files are named `<pid>-<upload id>`: several processes (the app, `orgdeck serve`, the CLI)
 * may share a data directory, and a file belongs to a live upload only while its process runs.
 */
function fileNameFor(uploadId: string): string {
  return `${process.pid}-${uploadId}`;
}

/** Removes every file no live upload owns: this process has none yet, and others' files go once they end. */
function removeOrphans(dir: string, now: number): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const pid = /^(\d+)-/.exec(name)?.[1];
    const ownerRuns = pid !== undefined && Number(pid) !== process.pid && processAlive(Number(pid));
    if (!ownerRuns || now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
  }
}

function tooLarge(purpose: UploadPurpose): AppError {
  return new AppError('VALIDATION', `A ${purpose} file is at most ${UPLOAD_LIMITS[purpose].label}.`);
}

interface Upload {
  owner: string | null;
  /** Said at the start; an upload started without one is checked against its limit when imported. */
  purpose: UploadPurpose | null;
  lastActive: number;
  fileName: string;
  path: string;
  size: number;
  received: number;
}

export interface CompletedUpload {
  fileName: string;
  path: string;
  size: number;
}

/**
 * Files sent in chunks over the contract (IPC or HTTP alike), kept under the data directory until
 * the channel that imports one takes it. Only the user who started an upload can use it.
 */
export function createUploadsService(dir: string, now: () => number = Date.now) {
  const uploads = new Map<string, Upload>();

  function drop(uploadId: string, upload: Upload): void {
    uploads.delete(uploadId);
    rmSync(upload.path, { force: true });
  }

  function dropIdle(): void {
    for (const [id, upload] of uploads) if (now() - upload.lastActive > IDLE_MS) drop(id, upload);
  }
  const idleSweep = setInterval(dropIdle, 60_000);
  idleSweep.unref();

  function owned(actor: Principal, uploadId: string): Upload {
    const upload = uploads.get(uploadId);
    if (!upload || upload.owner !== actor.userId) throw new AppError('NOT_FOUND', 'No such upload.');
    return upload;
  }

  return {
    /** Removes what earlier runs left behind; only the writer, which owns the uploads, does this. */
    removeStale: () => removeOrphans(dir, now()),

    /** Stops the idle sweep and removes every unfinished upload of this process. */
    close(): void {
      clearInterval(idleSweep);
      for (const [id, upload] of uploads) drop(id, upload);
    },

    begin(actor: Principal, fileName: string, size: number, purpose: UploadPurpose | null): string {
      if (purpose && size > UPLOAD_LIMITS[purpose].bytes) throw tooLarge(purpose);
      dropIdle();
      const open = [...uploads.values()].filter((upload) => upload.owner === actor.userId).length;
      if (open >= MAX_OPEN_PER_USER) {
        throw new AppError(
          'RATE_LIMITED',
          'Finish or cancel your other uploads first (at most 8 at a time; one left idle for 30 minutes is dropped).',
        );
      }
      mkdirSync(dir, { recursive: true });
      const id = randomUUID();
      uploads.set(id, {
        owner: actor.userId,
        purpose,
        lastActive: now(),
        fileName: basename(fileName),
        path: join(dir, fileNameFor(id)),
        size,
        received: 0,
      });
      return id;
    },

    async append(actor: Principal, uploadId: string, offset: number, base64: string): Promise<number> {
      const upload = owned(actor, uploadId);
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length > MAX_CHUNK_BYTES) throw new AppError('VALIDATION', 'A chunk is at most 512 KiB.');
      if (offset !== upload.received) {
        throw new AppError('CONFLICT', `Expected the chunk at byte ${upload.received}, got ${offset}.`, {
          received: upload.received,
        });
      }
      if (upload.received + bytes.length > upload.size) {
        throw new AppError('VALIDATION', 'The upload is larger than announced.');
      }
      const handle = await open(upload.path, 'a');
      try {
        await handle.write(bytes);
      } finally {
        await handle.close();
      }
      upload.received += bytes.length;
      upload.lastActive = now();
      return upload.received;
    },

    /** Abandons an unfinished upload and removes what was sent of it. */
    cancel(actor: Principal, uploadId: string): void {
      drop(uploadId, owned(actor, uploadId));
    },

    /**
     * Hands a complete upload over to the channel importing it for `purpose`, which removes the file
     * as soon as the import has finished or failed.
     */
    take(actor: Principal, uploadId: string, purpose: UploadPurpose): CompletedUpload {
      const upload = owned(actor, uploadId);
      if (upload.purpose !== null && upload.purpose !== purpose) {
        drop(uploadId, upload);
        throw new AppError(
          'VALIDATION',
          `This upload was started for a ${upload.purpose} file, not a ${purpose} file.`,
        );
      }
      if (upload.size > UPLOAD_LIMITS[purpose].bytes) {
        drop(uploadId, upload);
        throw tooLarge(purpose);
      }
      if (upload.received !== upload.size) {
        throw new AppError(
          'CONFLICT',
          `The upload is incomplete: ${upload.received} of ${upload.size} bytes.`,
        );
      }
      uploads.delete(uploadId);
      return { fileName: upload.fileName, path: upload.path, size: upload.size };
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
