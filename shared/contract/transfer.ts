import * as z from 'zod';
import { channel } from './channel';
import { Id, Slug, Timestamp } from './fields';
import { Org } from './orgs';

const Count = z.number().int().min(0);

export const ImportCounts = z.object({
  users: Count.describe('Users bound to the org; imported without a usable password'),
  agents: Count.describe('Agents assigned to the org now'),
  formerAgents: Count.describe('Agents that left the org: imported as deleted, for past months’ billing'),
  assignments: Count,
  inactivePeriods: Count,
  policies: Count,
  policyVersions: Count,
  knowledge: Count,
  usageRows: Count.describe('Daily usage rollup rows'),
  prices: Count.describe('Model prices the usage is priced with'),
  auditEntries: Count,
  closedMonths: Count.describe(
    'Months the install it comes from closed for the org (billed, or with nothing to bill): not billed again here',
  ),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

const RenamedHandle = z.object({ handle: z.string(), importedAs: z.string() });
const SkippedUser = z.object({ email: z.string(), name: z.string() });

export const ImportPreview = z.object({
  importId: Id.describe('Names the staged archive for orgs.importApply; kept for an hour'),
  fileName: z.string(),
  exportedAt: Timestamp,
  org: z.object({ name: z.string(), slug: z.string() }),
  slug: z.object({
    taken: z.boolean().describe('Another org here has the archive’s slug: importing needs a new one'),
    takenBy: z.string().nullable(),
    suggestion: z.string().describe('A free slug to offer'),
  }),
  counts: ImportCounts,
  pricesToAdd: Count.describe(
    'Price periods of models this install has no price for; a model priced here keeps its prices',
  ),
  renamedHandles: z.array(RenamedHandle).describe('Agent handles taken here: imported under a new handle'),
  skippedUsers: z
    .array(SkippedUser)
    .describe('Emails that already have an account here: that account is kept, unchanged and unbound'),
  importedBefore: z
    .array(
      z.object({
        entry: z.number().int().describe('The audit entry that recorded that import'),
        at: Timestamp,
        org: z
          .object({
            id: Id,
            name: z.string(),
            slug: z.string(),
            deleted: z.boolean().describe('Deleted since, not yet purged'),
          })
          .nullable()
          .describe('The org that import made; null once it is purged'),
      }),
    )
    .describe(
      'Earlier imports here of this very archive (its org’s slug and export time), oldest first: importing it again makes another copy of the org, whose usage and revenue then count twice',
    ),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const transferChannels = {
  'orgs.export': channel({
    summary: 'Export an organization as one JSON archive (at most one export per org per minute)',
    kind: 'write',
    permission: 'orgs.manage',
    input: z.object({ id: Id }).strict(),
    output: z.object({
      fileName: z.string(),
      content: z.string().describe('The archive: JSON, format orgdeck-org-export version 1'),
      unbilled: z
        .object({
          adjustments: Count,
          total: z.string().describe('USD, to the cent: negative when the org is owed'),
        })
        .nullable()
        .describe(
          'Changes to months closed here not billed yet (statements.pending): the install the org moves to does not bill them. Null: none',
        ),
    }),
  }),
  'orgs.importPreview': channel({
    summary: 'Check an uploaded org archive and show what importing it would do',
    kind: 'write',
    permission: 'orgs.manage',
    input: z.object({ uploadId: Id }).strict(),
    output: ImportPreview,
  }),
  'orgs.importApply': channel({
    summary: 'Import a previewed org archive as a new org, all or nothing',
    kind: 'write',
    permission: 'orgs.manage',
    input: z
      .object({
        importId: Id,
        slug: Slug.optional().describe('Required when the archive’s slug is taken here'),
      })
      .strict(),
    output: z.object({
      org: Org,
      renamedHandles: z.array(RenamedHandle),
      skippedUsers: z.array(SkippedUser),
      pricesAdded: Count,
    }),
  }),
};
