import type { ImportJob } from '../../../../shared/contract/billing';
import { AppError } from '../../../../shared/contract/envelope';
import { plural } from '../../../../shared/domain/counts';
import { USAGE_FORMATS, type UsageFormat } from '../../../../shared/domain/usage-identity';
import { LOCAL_OWNER } from '../../services/principal';
import { CliFailure, callAsOwner, localBackend } from '../cli-context';
import { type Command, str } from '../command';

const WIDTH = 30;

const FORMAT_NAMES: Record<UsageFormat, string> = {
  orgdeck: 'Orgdeck usage records',
  openai: 'an OpenAI completions usage export',
  anthropic: 'an Anthropic messages usage report',
  litellm: 'LiteLLM spend logs',
};

const FORMATS = ['auto', ...USAGE_FORMATS] as const;
const isFormat = (text: string): text is (typeof FORMATS)[number] =>
  (FORMATS as readonly string[]).includes(text);

/** The unmatched report: each identity no alias maps, with its tokens, and how to map it. */
function unmatchedLines(job: ImportJob): string[] {
  if (job.unmatched.length === 0) return [];
  const count = job.unmatched.length;
  const lines = [
    `${count} ${count === 1 ? 'identity is' : 'identities are'} mapped to no agent; their rows were left out:`,
  ];
  for (const identity of job.unmatched) {
    const input =
      identity.input_tokens +
      identity.cache_read_tokens +
      identity.cache_write_tokens +
      identity.cache_write_1h_tokens;
    lines.push(
      `  ${identity.source} ${identity.kind} ${identity.value}: ${identity.rows} ${identity.rows === 1 ? 'row' : 'rows'}, ${input} input tokens (${identity.cache_read_tokens} cache reads), ${identity.output_tokens} output tokens`,
    );
  }
  lines.push(
    'Map each to an agent (orgdeck agent alias add HANDLE --source S --kind K --value V), then import the file again.',
  );
  return lines;
}

/** What to do about rows naming a handle no agent has: one line per handle. */
function missingAgentLines(job: ImportJob): string[] {
  const missing = job.problems.filter((problem) => problem.agent !== null);
  if (missing.length === 0) return [];
  return [
    ...missing.map(
      (problem) =>
        `  ${problem.rows} ${problem.rows === 1 ? 'row names' : 'rows name'} ${problem.agent}: create it (orgdeck agent create --handle ${problem.agent} …) or map it to an agent (orgdeck agent alias add HANDLE --source orgdeck --kind handle --value ${problem.agent})`,
    ),
    'Then import the file again: only the rows left out are added.',
  ];
}

function bar(job: ImportJob): string {
  const share = job.bytesTotal > 0 ? Math.min(1, job.bytesDone / job.bytesTotal) : 1;
  const filled = Math.round(share * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}%  ${job.rowsRead} rows, ${job.imported} imported, ${job.skipped} already there, ${job.bad} bad`;
}

export const usageImportCommand: Command = {
  words: ['usage', 'import'],
  usage: 'usage import FILE [--format auto|orgdeck|openai|anthropic|litellm] [--json]',
  summary:
    'Import usage: our CSV or JSON Lines, or an OpenAI, Anthropic or LiteLLM export (detected by content); re-importing skips what is there, re-exports replace their buckets',
  options: { format: { type: 'string' } },
  positionals: 1,
  // The file is read on this computer and imported by a worker into this computer's store.
  where: 'local',
  async run({ positionals, values }, { local, io, json }) {
    const backend = localBackend(local);
    const file = positionals[0];
    if (!file) throw new CliFailure({ code: 'VALIDATION', message: 'Name the usage file.' }, 2);
    const format = str(values.format) ?? 'auto';
    if (!isFormat(format))
      throw new CliFailure({ code: 'VALIDATION', message: `--format is one of ${FORMATS.join(', ')}.` }, 2);
    let started: Awaited<ReturnType<typeof backend.services.usage.importFile>>;
    try {
      // A file path is read on this machine, so this goes to the service, not over the API.
      started = await backend.services.usage.importFile(LOCAL_OWNER, file, format);
    } catch (error) {
      if (error instanceof AppError) throw new CliFailure(error.toApiError());
      throw error;
    }
    if (!json) io.err(`Reading ${FORMAT_NAMES[started.job.format]}.`);
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
      for (const line of [...missingAgentLines(job), ...unmatchedLines(job)]) io.out(line);
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
        : `Undid the import of ${job.fileName} (${plural(job.imported, 'row')} imported on ${job.startedAt}).`,
    );
  },
};
