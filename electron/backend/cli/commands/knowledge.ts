import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { MATCH_END, MATCH_START } from '../../../../shared/contract/knowledge';
import { type CliBackend, CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, str } from '../command';
import { uploadFile } from '../upload-file';
import { bySlug } from './org';

const docRow = (doc: KnowledgeDoc & { shared?: boolean }) => ({
  id: doc.id,
  title: doc.title,
  org: doc.org.slug,
  source: doc.sourceName,
  size: String(doc.size),
  sharing: doc.sharing
    ? doc.sharing.all
      ? 'all orgs'
      : doc.sharing.orgs.map((o) => o.slug).join(',') || '-'
    : '',
});
const COLUMNS = ['id', 'title', 'org', 'source', 'size', 'sharing'];

async function orgIdOf(backend: CliBackend, slug: string | undefined): Promise<string> {
  if (!slug)
    throw new CliFailure({ code: 'VALIDATION', message: 'Name the organization with --org SLUG.' }, 2);
  return (await bySlug(backend, slug)).id;
}

const idArg = (positionals: string[]) => requiredArg(positionals, 'Name the document by its id.');

const marked = (text: string) => text.replaceAll(MATCH_START, '[').replaceAll(MATCH_END, ']');

export const knowledgeCommands: Command[] = [
  {
    words: ['knowledge', 'add'],
    usage: 'knowledge add --org SLUG --title T FILE [--tags a,b] [--shared] [--json]',
    summary:
      'Add a .md, .txt, .html or .pdf file to an org’s knowledge base; --shared shares it with every client org',
    options: {
      org: { type: 'string' },
      title: { type: 'string' },
      tags: { type: 'string' },
      shared: { type: 'boolean' },
    },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const file = positionals[0];
      if (!file) throw new CliFailure({ code: 'VALIDATION', message: 'Name the file to add.' }, 2);
      const orgId = await orgIdOf(backend, str(values.org));
      const uploadId = await uploadFile(backend, file, 'knowledge');
      let doc = await callAsOwner(backend, 'knowledge.importFile', {
        orgId,
        uploadId,
        title: str(values.title),
        tags: str(values.tags)
          ?.split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      });
      if (values.shared) doc = await callAsOwner(backend, 'knowledge.share', { id: doc.id, orgs: 'all' });
      io.out(json ? JSON.stringify(doc, null, 2) : `Added "${doc.title}" (${doc.id}) to ${doc.org.name}.`);
    },
  },
  {
    words: ['knowledge', 'list'],
    usage: 'knowledge list --org SLUG [--json]',
    summary: 'An org’s documents, then the ones shared with it',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const list = await callAsOwner(backend, 'knowledge.list', {
        orgId: await orgIdOf(backend, str(values.org)),
      });
      if (json) io.out(JSON.stringify(list, null, 2));
      else {
        const rows = [...list.own, ...list.shared].map(docRow);
        io.out(rows.length === 0 ? 'No documents.' : formatTable(rows, COLUMNS));
      }
    },
  },
  {
    words: ['knowledge', 'search'],
    usage: 'knowledge search --org SLUG QUERY [--json]',
    summary: 'Search what an org can see; matches are shown in [brackets]',
    options: { org: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const hits = await callAsOwner(backend, 'knowledge.search', {
        orgId: await orgIdOf(backend, str(values.org)),
        query: positionals[0],
      });
      if (json) io.out(JSON.stringify(hits, null, 2));
      else if (hits.length === 0) io.out('No matches.');
      else
        io.out(
          hits
            .map(
              (hit) =>
                `${marked(hit.title)}  (${hit.doc.org.slug}${hit.shared ? ', shared' : ''})\n  ${marked(hit.snippet)}`,
            )
            .join('\n'),
        );
    },
  },
  {
    words: ['knowledge', 'visible'],
    usage: 'knowledge visible --agent HANDLE [--json]',
    summary: 'Exactly the documents an agent can see',
    options: { agent: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const agent = await callAsOwner(backend, 'agents.get', { handle: str(values.agent) ?? '' });
      const visible = await callAsOwner(backend, 'knowledge.visibleToAgent', { agentId: agent.id });
      if (json) io.out(JSON.stringify(visible, null, 2));
      else if (!visible.org)
        io.out(`${agent.name} is not assigned to an organization: it sees no knowledge.`);
      else
        io.out(visible.docs.length === 0 ? 'No documents.' : formatTable(visible.docs.map(docRow), COLUMNS));
    },
  },
  ...(['share', 'unshare'] as const).map(
    (verb): Command => ({
      words: ['knowledge', verb],
      usage: `knowledge ${verb} ID [--orgs a,b] [--json]`,
      summary:
        verb === 'share'
          ? 'Share an owner-org document (with every client org unless --orgs)'
          : 'Stop sharing a document (with everyone unless --orgs)',
      options: { orgs: { type: 'string' } },
      positionals: 1,
      async run({ values, positionals }, { backend, io, json }) {
        const slugs = str(values.orgs)
          ?.split(',')
          .map((slug) => slug.trim())
          .filter(Boolean);
        const orgs = slugs
          ? await Promise.all(slugs.map(async (slug) => (await bySlug(backend, slug)).id))
          : undefined;
        const id = idArg(positionals);
        const doc =
          verb === 'share'
            ? await callAsOwner(backend, 'knowledge.share', { id, orgs: orgs ?? 'all' })
            : await callAsOwner(backend, 'knowledge.unshare', { id, orgs });
        io.out(
          json
            ? JSON.stringify(doc, null, 2)
            : `"${doc.title}" is shared with: ${docRow(doc).sharing || 'nobody'}.`,
        );
      },
    }),
  ),
  {
    words: ['knowledge', 'move'],
    usage: 'knowledge move ID --org SLUG [--json]',
    summary: 'Move a document to another org',
    options: { org: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const doc = await callAsOwner(backend, 'knowledge.move', {
        id: idArg(positionals),
        orgId: await orgIdOf(backend, str(values.org)),
      });
      io.out(json ? JSON.stringify(doc, null, 2) : `Moved "${doc.title}" to ${doc.org.name}.`);
    },
  },
  {
    words: ['knowledge', 'delete'],
    usage: 'knowledge delete ID',
    summary: 'Delete a document',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io }) {
      await callAsOwner(backend, 'knowledge.delete', { id: idArg(positionals) });
      io.out('Deleted.');
    },
  },
];
