import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { ImportCounts, ImportPreview } from '../../../../shared/contract/transfer';
import { CliFailure, type CliIo, callAsOwner, requiredArg } from '../cli-context';
import { type Command, str } from '../command';
import { uploadFile } from '../upload-file';
import { bySlug } from './org';

const COUNT_LINES: [keyof ImportCounts, string, string?][] = [
  ['users', 'users', 'no password: reset each one’s password before they can sign in'],
  ['agents', 'agents'],
  ['formerAgents', 'former agents', 'imported as deleted, for past months’ billing'],
  ['assignments', 'assignment intervals'],
  ['inactivePeriods', 'inactive periods'],
  ['policies', 'policies'],
  ['policyVersions', 'policy versions'],
  ['knowledge', 'knowledge documents'],
  ['usageRows', 'daily usage rows'],
  ['prices', 'model prices'],
  ['auditEntries', 'audit entries'],
  ['closedMonths', 'closed months', 'billed where it comes from: not billed again here'],
];

function previewText(preview: ImportPreview, slug: string | undefined): string {
  const lines = [
    `Archive ${preview.fileName}, exported ${preview.exportedAt}`,
    `Organization ${preview.org.name} (${preview.org.slug})`,
    ...COUNT_LINES.map(([key, label, note]) => {
      const line = `  ${String(preview.counts[key]).padStart(7)}  ${label}`;
      return note && preview.counts[key] > 0 ? `${line} (${note})` : line;
    }),
  ];
  if (preview.importedBefore.length > 0) {
    lines.push(
      'This very archive was imported here before; importing it again makes another copy of the organization, whose usage and revenue then count twice:',
    );
    for (const { at, org } of preview.importedBefore)
      lines.push(
        `  ${at}: ${org ? `${org.name} (${org.slug})${org.deleted ? ', deleted since' : ''}` : 'an organization since purged'}`,
      );
  }
  if (preview.slug.taken) {
    lines.push(
      slug
        ? `The slug "${preview.org.slug}" is taken by ${preview.slug.takenBy}: importing as "${slug}".`
        : `The slug "${preview.org.slug}" is taken by ${preview.slug.takenBy}: pass --slug NEW (e.g. --slug ${preview.slug.suggestion}).`,
    );
  }
  if (preview.renamedHandles.length > 0) {
    lines.push('Agent handles taken here, imported under a new handle:');
    for (const { handle, importedAs } of preview.renamedHandles) lines.push(`  ${handle} → ${importedAs}`);
  }
  if (preview.skippedUsers.length > 0) {
    lines.push('Emails that already have an account here (that account stays as it is; not imported):');
    for (const user of preview.skippedUsers) lines.push(`  ${user.email}`);
  }
  lines.push(
    `${preview.pricesToAdd} of the ${preview.counts.prices} model prices are of models without a price here and will be added, pricing every org's usage of those models here; a model priced here keeps its prices, which price this org's usage too.`,
  );
  return lines.join('\n');
}

async function confirmed(io: CliIo, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.ask) return false;
  return /^y(es)?$/i.test((await io.ask('Import this organization? [y/N] ')).trim());
}

export const transferCommands: Command[] = [
  {
    words: ['export'],
    usage: 'export --org SLUG --out FILE',
    summary:
      'Export an org (settings, users without passwords, agents, policies, knowledge, usage, audit) as one JSON archive',
    options: { org: { type: 'string' }, out: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const out = str(values.out);
      if (!slug || !out) {
        throw new CliFailure(
          { code: 'VALIDATION', message: 'Name the org with --org SLUG and the file with --out FILE.' },
          2,
        );
      }
      if (existsSync(out))
        throw new CliFailure({ code: 'CONFLICT', message: `${out} exists already: choose a new file.` });
      const org = await bySlug(backend, slug);
      const archive = await callAsOwner(backend, 'orgs.export', { id: org.id });
      await writeFile(out, archive.content, { flag: 'wx' });
      const bytes = Buffer.byteLength(archive.content);
      const { unbilled } = archive;
      io.out(
        json
          ? JSON.stringify({ file: out, bytes, org: { id: org.id, slug: org.slug }, unbilled }, null, 2)
          : [
              `Exported ${org.name} (${org.slug}) to ${out} (${bytes} bytes).`,
              ...(unbilled === null
                ? []
                : [
                    unbilled.adjustments === 1
                      ? `1 change to months closed here (${unbilled.total} USD) not billed yet, and not in this file: the Orgdeck it moves to will not bill it. To bill it, close the next month here (orgdeck statement close) before the move, then export again.`
                      : `${unbilled.adjustments} changes to months closed here (${unbilled.total} USD) not billed yet, and not in this file: the Orgdeck it moves to will not bill them. To bill them, close the next month here (orgdeck statement close) before the move, then export again.`,
                  ]),
            ].join('\n'),
      );
    },
  },
  {
    words: ['import'],
    usage: 'import FILE [--slug NEW] [--yes] [--json]',
    summary:
      'Import an org archive as a new org: shows a preview, then imports with --yes (or when you confirm at a terminal)',
    options: { slug: { type: 'string' }, yes: { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const file = requiredArg(positionals, 'Name the archive file to import.');
      const slug = str(values.slug);
      const uploadId = await uploadFile(backend, file, 'archive');
      const preview = await callAsOwner(backend, 'orgs.importPreview', { uploadId });
      if (json) io.out(JSON.stringify({ preview }, null, 2));
      else io.out(previewText(preview, slug));
      if (preview.slug.taken && !slug) {
        throw new CliFailure({
          code: 'CONFLICT',
          message: `Not imported: the slug "${preview.org.slug}" is taken here. Run again with --slug NEW (e.g. --slug ${preview.slug.suggestion}).`,
        });
      }
      if (!(await confirmed(io, values.yes === true))) {
        io.err('Nothing imported: run again with --yes to import.');
        return;
      }
      const done = await callAsOwner(backend, 'orgs.importApply', { importId: preview.importId, slug });
      io.out(
        json
          ? JSON.stringify({ imported: done }, null, 2)
          : `Imported ${done.org.name} as ${done.org.slug} (${done.org.id}).`,
      );
    },
  },
];
