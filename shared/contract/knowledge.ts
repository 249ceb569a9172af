import * as z from 'zod';
import { KNOWLEDGE_EXTENSIONS, MATCH_END, MATCH_START, MAX_BODY_CHARS } from '../domain/knowledge-text';
import { channel } from './channel';
import { Id, Timestamp } from './fields';

export { KNOWLEDGE_EXTENSIONS, MATCH_END, MATCH_START, MAX_BODY_CHARS };

const OrgRef = z.object({ id: Id, slug: z.string(), name: z.string() });

export const KnowledgeDoc = z.object({
  id: Id,
  org: OrgRef,
  title: z.string(),
  sourceName: z.string(),
  tags: z.array(z.string()),
  size: z.number().describe('Bytes of text'),
  author: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sharing: z
    .object({ all: z.boolean(), orgs: z.array(OrgRef) })
    .nullable()
    .describe(
      'Who an owner-org document is shared with, for owners and admins; null for client documents and for callers bound to one org',
    ),
});
export type KnowledgeDoc = z.infer<typeof KnowledgeDoc>;

const Title = z.string().trim().min(1, 'A title is required').max(200, 'A title is at most 200 characters');
const Body = z.string().max(MAX_BODY_CHARS, 'A document is at most 2 MB of text');
const Tags = z
  .array(z.string().trim().min(1, 'A tag cannot be empty').max(40, 'A tag is at most 40 characters'))
  .max(20, 'At most 20 tags');

export const knowledgeChannels = {
  'knowledge.list': channel({
    summary: 'An org’s knowledge base: its own documents, then those the owner org shares with it',
    kind: 'read',
    permission: 'knowledge.read',
    input: z.object({ orgId: Id }).strict(),
    output: z.object({ own: z.array(KnowledgeDoc), shared: z.array(KnowledgeDoc) }),
  }),
  'knowledge.get': channel({
    summary: 'One document with its text',
    kind: 'read',
    permission: 'knowledge.read',
    input: z.object({ id: Id }).strict(),
    output: KnowledgeDoc.extend({ body: z.string(), readOnly: z.boolean() }),
  }),
  'knowledge.add': channel({
    summary: 'Write a document into an org’s knowledge base',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ orgId: Id, title: Title, body: Body, tags: Tags.optional() }).strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.importFile': channel({
    summary: 'Add an uploaded .md, .txt, .html or .pdf file as a document (its text is extracted)',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ orgId: Id, uploadId: Id, title: Title.optional(), tags: Tags.optional() }).strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.update': channel({
    summary: 'Edit a document',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z
      .object({
        id: Id,
        title: Title.optional(),
        body: Body.optional(),
        tags: Tags.optional(),
        expectedUpdatedAt: Timestamp.optional().describe(
          'The updatedAt the edit was made on; CONFLICT when the document has changed since',
        ),
      })
      .strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.move': channel({
    summary: 'Move a document to another org’s knowledge base',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ id: Id, orgId: Id }).strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.delete': channel({
    summary: 'Delete a document',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.literal(true) }),
  }),
  'knowledge.share': channel({
    summary: 'Share an owner-org document with every client org or with chosen ones',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ id: Id, orgs: z.union([z.literal('all'), z.array(Id).min(1).max(1000)]) }).strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.unshare': channel({
    summary: 'Stop sharing a document with chosen orgs, or with everyone when no orgs are given',
    kind: 'write',
    permission: 'knowledge.edit',
    input: z.object({ id: Id, orgs: z.array(Id).min(1).max(1000).optional() }).strict(),
    output: KnowledgeDoc,
  }),
  'knowledge.search': channel({
    summary:
      'Full-text search of what an org can see (without orgId: every org the caller sees), ranked, with highlighted snippets',
    kind: 'read',
    permission: 'knowledge.read',
    input: z
      .object({
        orgId: Id.optional().describe(
          'Absent: the documents of every org the caller may see, each hit naming its org',
        ),
        query: z.string().trim().min(1, 'Type something to search for').max(200),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    output: z.array(
      z.object({
        doc: KnowledgeDoc,
        title: z.string().describe('The title with matches between \\u0002 and \\u0003'),
        snippet: z.string().describe('Matching text with matches between \\u0002 and \\u0003'),
        shared: z.boolean().describe('Shared with the org searched (or one the caller sees) by another org'),
      }),
    ),
  }),
  'knowledge.visibleToAgent': channel({
    summary: 'Exactly what an agent can see: its org’s documents and what is shared with its org',
    kind: 'read',
    permission: 'knowledge.read',
    input: z.object({ agentId: Id }).strict(),
    output: z.object({ org: OrgRef.nullable(), docs: z.array(KnowledgeDoc.extend({ shared: z.boolean() })) }),
  }),
  'knowledge.overview': channel({
    summary: 'Owners and admins: documents per org, and which orgs each shared document reaches',
    kind: 'read',
    permission: 'knowledge.read',
    input: z.object({}).strict(),
    output: z.object({
      orgs: z.array(OrgRef.extend({ documents: z.number() })),
      shared: z.array(KnowledgeDoc),
    }),
  }),
};
