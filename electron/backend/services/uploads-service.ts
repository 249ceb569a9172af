import { randomUUID } from 'node:crypto';
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UPLOAD_LIMITS, UPLOAD_PURPOSES, type UploadPurpose } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { DAY_MS } from '../../../shared/domain/days';
import { allows, type Permission } from '../../../shared/domain/permissions';
import { processAlive } from '../process-alive';
import type { UploadRow } from '../store/repos/uploads-repo';
import type { Store } from '../store/store';
import type { Principal } from './principal';

const MAX_CHUNK_BYTES = 512 * 1024;
/** A file older than this is removed at a start even if its process id was reused by a live process. */
const STALE_MS = DAY_MS;
/** Unfinished uploads one user may hold at once. */
const MAX_OPEN_PER_USER = 8;
/** The bytes one user's unfinished uploads may announce together, in files of the largest they may send. */
const OPEN_FILES_OF_LARGEST = 2;
/** An upload nothing was sent to for this long was abandoned (a closed window, a lost connection). */
const IDLE_MS = 30 * 60_000;

/**
 * Files in the uploads directory: an unfinished upload's bytes beside a SQLite store are named by
 * its id alone (the store says whether it lives); a complete one handed to an import is named
 * `<pid>-<upload id>`, and belongs to the import only while that process runs (the app,
 * `orgdeck serve` and the CLI may share a data directory).
 */
const takenFileName = (uploadId: string) => `${process.pid}-${uploadId}`;

function tooLarge(purpose: UploadPurpose): AppError {
  return new AppError('VALIDATION', `A ${purpose} file is at most ${UPLOAD_LIMITS[purpose].label}.`);
}

/** What importing each kind of file takes: whoever holds none of these has nothing to upload. */
const PURPOSE_PERMISSION: Record<UploadPurpose, Permission> = {
  usage: 'billing.manage',
  archive: 'orgs.manage',
  knowledge: 'knowledge.edit',
};

/**
 * The largest file `actor` may upload (for `purpose`, or for any purpose they may import when
 * unnamed), or why they may upload none. A client viewer could otherwise fill the server's disk
 * with files nothing of theirs would ever import.
 */
function largestFor(actor: Principal, purpose: UploadPurpose | null): number {
  const allowed = (purpose ? [purpose] : UPLOAD_PURPOSES).filter((each) =>
    allows(actor, PURPOSE_PERMISSION[each]),
  );
  if (allowed.length === 0)
    throw new AppError(
      'FORBIDDEN',
      purpose ? `You may not import a ${purpose} file.` : 'Nothing you may import is sent as a file.',
    );
  return Math.max(...allowed.map((each) => UPLOAD_LIMITS[each].bytes));
}

export interface CompletedUpload {
  fileName: string;
  path: string;
  size: number;
}

/**
 * Files sent in chunks over the contract (IPC or HTTP alike), until the channel that imports one
 * takes it. An upload is a row of the store, so servers sharing a database share it: begun on one,
 * continued and imported on another. Only the user who started an upload can use it.
 */
export function createUploadsService(store: Store, dir: string, now: () => number = Date.now) {
  const receivingPath = (uploadId: string) => join(dir, uploadId);

  function drop(uploadIds: string[]): void {
    if (!store.uploads.bytesInStore) for (const id of uploadIds) rmSync(receivingPath(id), { force: true });
  }

  function dropIdle(): void {
    drop(store.uploads.removeIdle(new Date(now() - IDLE_MS).toISOString()));
  }

  function owned(actor: Principal, uploadId: string): UploadRow {
    const upload = store.uploads.owned(uploadId, actor.userId);
    if (!upload) throw new AppError('NOT_FOUND', 'No such upload.');
    return upload;
  }

  function remove(uploadId: string): void {
    store.uploads.remove(uploadId);
    drop([uploadId]);
  }

  /** Writes the upload's bytes to `path`, from the store's chunks or the file beside it. */
  function placeBytes(upload: UploadRow, path: string): void {
    if (!store.uploads.bytesInStore) {
      if (upload.size === 0) closeSync(openSync(path, 'w'));
      else renameSync(receivingPath(upload.id), path);
      return;
    }
    const file = openSync(path, 'w');
    try {
      for (let start = 0; start < upload.size; ) {
        const chunk = store.uploads.chunkAt(upload.id, start);
        // An empty one (an older Orgdeck kept them) would never move `start` on.
        if (!chunk || chunk.length === 0)
          throw new Error(`Upload ${upload.id} has no chunk at byte ${start}.`);
        writeSync(file, chunk);
        start += chunk.length;
      }
    } finally {
      closeSync(file);
    }
  }

  return {
    /**
     * Removes what earlier runs left behind: taken files of processes that ended, and files of
     * uploads the store no longer holds. Only the writer, which owns the uploads, does this.
     */
    removeStale(): void {
      dropIdle();
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const path = join(dir, name);
        const pid = /^(\d+)-/.exec(name)?.[1];
        const live =
          pid === undefined
            ? !store.uploads.bytesInStore && store.uploads.exists(name)
            : Number(pid) !== process.pid && processAlive(Number(pid));
        // Another process sharing the directory may remove its file meanwhile: gone, it is skipped,
        // and the sweep goes on to the rest.
        const modified = live ? statSync(path, { throwIfNoEntry: false })?.mtimeMs : undefined;
        if (!live || (modified !== undefined && now() - modified > STALE_MS)) rmSync(path, { force: true });
      }
    },

    /** Drops uploads left idle (their bytes too): run by the writer every minute. */
    dropIdle,

    begin(actor: Principal, fileName: string, size: number, purpose: UploadPurpose | null): string {
      const largest = largestFor(actor, purpose);
      if (purpose && size > largest) throw tooLarge(purpose);
      if (size > largest)
        throw new AppError('VALIDATION', 'The file is larger than anything you may import takes.');
      dropIdle();
      const open = store.uploads.openOf(actor.userId);
      if (open.uploads >= MAX_OPEN_PER_USER) {
        throw new AppError(
          'RATE_LIMITED',
          'Finish or cancel your other uploads first (at most 8 at a time; one left idle for 30 minutes is dropped).',
        );
      }
      // Two of the largest at once: room for an import and a retry of it, not eight of them.
      if (open.bytes + size > OPEN_FILES_OF_LARGEST * largestFor(actor, null)) {
        throw new AppError(
          'RATE_LIMITED',
          'Finish or cancel your other uploads first: together they would pass what you may have open at once.',
        );
      }
      const id = randomUUID();
      store.uploads.begin({
        id,
        user_id: actor.userId,
        purpose,
        file_name: basename(fileName),
        size,
        received: 0,
        last_active_at: new Date(now()).toISOString(),
      });
      return id;
    },

    async append(actor: Principal, uploadId: string, offset: number, base64: string): Promise<number> {
      const upload = owned(actor, uploadId);
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length > MAX_CHUNK_BYTES) throw new AppError('VALIDATION', 'A chunk is at most 512 KiB.');
      const outOfTurn = (received: number) =>
        new AppError('CONFLICT', `Expected the chunk at byte ${received}, got ${offset}.`, { received });
      if (offset !== upload.received) throw outOfTurn(upload.received);
      if (upload.received + bytes.length > upload.size) {
        throw new AppError('VALIDATION', 'The upload is larger than announced.');
      }
      if (store.uploads.bytesInStore) {
        // Taken already (another server's at the same moment, or an empty one an older Orgdeck
        // kept): this one's bytes are not stored, so it must not count as received.
        if (!store.uploads.addChunk(uploadId, offset, bytes))
          throw outOfTurn(owned(actor, uploadId).received);
      } else {
        mkdirSync(dir, { recursive: true });
        // At its offset, so a chunk sent twice at once is written over itself, not after.
        const handle = await open(receivingPath(uploadId), constants.O_WRONLY | constants.O_CREAT);
        try {
          await handle.write(bytes, 0, bytes.length, offset);
        } finally {
          await handle.close();
        }
      }
      if (!store.uploads.advance(uploadId, offset, bytes.length, new Date(now()).toISOString()))
        throw outOfTurn(owned(actor, uploadId).received);
      return offset + bytes.length;
    },

    /** Abandons an unfinished upload and removes what was sent of it. */
    cancel(actor: Principal, uploadId: string): void {
      remove(owned(actor, uploadId).id);
    },

    /**
     * Hands a complete upload over to the channel importing it for `purpose`, as a file of this
     * process, which that channel removes as soon as the import has finished or failed.
     */
    take(actor: Principal, uploadId: string, purpose: UploadPurpose): CompletedUpload {
      const upload = owned(actor, uploadId);
      if (upload.purpose !== null && upload.purpose !== purpose) {
        remove(uploadId);
        throw new AppError(
          'VALIDATION',
          `This upload was started for a ${upload.purpose} file, not a ${purpose} file.`,
        );
      }
      if (upload.size > UPLOAD_LIMITS[purpose].bytes) {
        remove(uploadId);
        throw tooLarge(purpose);
      }
      if (upload.received !== upload.size) {
        throw new AppError(
          'CONFLICT',
          `The upload is incomplete: ${upload.received} of ${upload.size} bytes.`,
        );
      }
      mkdirSync(dir, { recursive: true });
      const path = join(dir, takenFileName(uploadId));
      try {
        placeBytes(upload, path);
      } catch (error) {
        rmSync(path, { force: true });
        throw error;
      }
      // Taken once: a server taking the same upload at the same time finds it gone.
      if (!store.uploads.remove(uploadId)) {
        rmSync(path, { force: true });
        throw new AppError('NOT_FOUND', 'No such upload.');
      }
      return { fileName: upload.file_name, path, size: upload.size };
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
