import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import { auditCsvColumns } from '../../../../shared/domain/audit-csv';
import { csvHeader, csvRow } from '../../../../shared/domain/csv';
import { toAuditEntry } from '../../services/audit-log';
import { CliFailure, callAsOwner, formatTable, localBackend } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

export const auditCommands: Command[] = [
  {
    words: ['audit', 'list'],
    usage: 'audit list [--org SLUG] [--action A] [--limit N] [--json]',
    summary: 'The audit trail, newest first',
    options: { org: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const { items, total } = await callAsOwner(backend, 'audit.list', {
        org: slug ? (await bySlug(backend, slug)).id : undefined,
        action: str(values.action),
        pageSize: Number(str(values.limit) ?? '50'),
      });
      if (json) io.out(JSON.stringify(items, null, 2));
      else {
        const rows = items.map((e) => ({
          id: String(e.id),
          at: e.at,
          actor: e.actor,
          action: e.action,
          target: `${e.target.type}:${e.target.id}`,
        }));
        io.out(
          rows.length === 0
            ? 'No entries.'
            : `${formatTable(rows, ['id', 'at', 'actor', 'action', 'target'])}\n(${items.length} of ${total})`,
        );
      }
    },
  },
  {
    words: ['audit', 'export'],
    usage: 'audit export --out FILE(.csv|.jsonl)',
    summary: 'Write the whole audit trail, oldest first, as CSV or JSON Lines',
    options: { out: { type: 'string' } },
    // Streams the whole trail straight from this computer's store.
    where: 'local',
    async run({ values }, { backend: cli, local, io }) {
      const backend = localBackend(local);
      const out = str(values.out);
      if (!out) throw new CliFailure({ code: 'VALIDATION', message: 'Say where with --out FILE.' }, 2);
      const csv = extname(out).toLowerCase() === '.csv';
      // The console's export columns, org names included (deleted orgs too, until they are purged).
      const names = new Map<string, string>();
      for (const status of ['current', 'deleted'] as const)
        for (const org of await callAsOwner(cli, 'orgs.list', { status })) names.set(org.id, org.name);
      const columns = auditCsvColumns((id) => names.get(id));
      const stream = createWriteStream(out);
      if (csv) stream.write(csvHeader(columns));
      let count = 0;
      // As the server's own work, naming every org: on PostgreSQL, a read outside a call sees no
      // org's entries (row-level security), and the file came out empty.
      await backend.store.asServer(backend.everyOrg, async () => {
        for (const row of backend.store.audit.iterate()) {
          const entry = toAuditEntry(row);
          const line = csv ? csvRow(columns, entry) : `${JSON.stringify(entry)}\n`;
          if (!stream.write(line))
            await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
          count++;
        }
      });
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      io.out(`Wrote ${count} audit entries to ${out}.`);
    },
  },
  {
    words: ['audit', 'verify'],
    usage: 'audit verify [--json]',
    summary: 'Check the audit trail’s hash chain; exits non-zero at the first entry that fails',
    options: {},
    async run(_args, { backend, io, json }) {
      const result = await callAsOwner(backend, 'audit.verify', {});
      if (json) io.out(JSON.stringify(result, null, 2));
      else if (result.intact) io.out(`The audit trail is intact (${result.entries} entries).`);
      if (!result.intact && result.firstBroken) {
        throw new CliFailure({
          code: 'CONFLICT',
          message: `Audit entry ${result.firstBroken.id} fails: ${result.firstBroken.reason}.`,
          details: result.firstBroken,
        });
      }
    },
  },
];
