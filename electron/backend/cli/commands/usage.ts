import type { ImportJob } from '../../../../shared/contract/billing';
import { AppError } from '../../../../shared/contract/envelope';
import { LOCAL_OWNER } from '../../services/principal';
import { CliFailure, callAsOwner, localBackend } from '../cli-context';
import type { Command } from '../command';

const WIDTH = 30;

function bar(job: ImportJob): string {
  const share = job.bytesTotal > 0 ? Math.min(1, job.bytesDone / job.bytesTotal) : 1;
  const filled = Math.round(share * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}%  ${job.rowsRead} rows, ${job.imported} imported, ${job.skipped} already there, ${job.bad} bad`;
}

export const usageImportCommand: Command = {
  words: ['usage', 'import'],
  usage: 'usage import FILE [--json]',
  summary: 'Import usage records (CSV with a header row, or JSON Lines); re-importing skips what is there',
  options: {},
  positionals: 1,
  // The file is read on this computer and imported by a worker into this computer's store.
  where: 'local',
  async run({ positionals }, { local, io, json }) {
    const backend = localBackend(local);
    const file = positionals[0];
    if (!file) throw new CliFailure({ code: 'VALIDATION', message: 'Name the usage file.' }, 2);
    let started: Awaited<ReturnType<typeof backend.services.usage.importFile>>;
    try {
      // A file path is read on this machine, so this goes to the service, not over the API.
      started = await backend.services.usage.importFile(LOCAL_OWNER, file);
    } catch (error) {
      if (error instanceof AppError) throw new CliFailure(error.toApiError());
      throw error;
    }
    const tty = process.stderr.isTTY === true;
    let lastShown = -1;
    const show = () => {
      const job = backend.services.usage.job(started.job.id);
      const percent = job.bytesTotal > 0 ? Math.floor((job.bytesDone / job.bytesTotal) * 100) : 100;
      if (tty) process.stderr.write(`\r${bar(job)}`);
      else if (percent >= lastShown + 10) {
        lastShown = percent - (percent % 10);
        io.err(bar(job));
      }
    };
    const timer = setInterval(show, 250);
    const job = await started.finished.finally(() => clearInterval(timer));
    show();
    if (tty) process.stderr.write('\n');
    if (json) io.out(JSON.stringify(job, null, 2));
    else {
      io.out(
        `${job.status === 'done' ? 'Imported' : 'Stopped'} ${job.fileName}: ${job.imported} imported, ${job.skipped} already there, ${job.bad} bad.`,
      );
      for (const bad of job.badRows.slice(0, 20)) io.err(`  line ${bad.line}: ${bad.reason}`);
      if (job.bad > 20) io.err(`  … and ${job.bad - 20} more bad rows`);
    }
    if (job.status !== 'done')
      throw new CliFailure({ code: 'INTERNAL', message: job.error ?? 'The import did not finish.' });
  },
};

export const usageUndoCommand: Command = {
  words: ['usage', 'undo'],
  usage: 'usage undo JOB_ID [--json]',
  summary: 'Undo a usage import: its rows leave every month; importing the file again counts them again',
  options: {},
  positionals: 1,
  async run({ positionals }, { backend, io, json }) {
    const jobId = positionals[0];
    if (!jobId) throw new CliFailure({ code: 'VALIDATION', message: 'Name the import job (its id).' }, 2);
    const job = await callAsOwner(backend, 'usage.undo', { jobId });
    io.out(
      json
        ? JSON.stringify(job, null, 2)
        : `Undid the import of ${job.fileName} (${job.imported} rows imported on ${job.startedAt}).`,
    );
  },
};
