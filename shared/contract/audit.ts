import * as z from 'zod';
import { AUDIT_SORTS } from '../domain/audit-sort';
import { channel } from './channel';
import { DateTime, Id, Timestamp } from './fields';

export const AuditEntry = z.object({
  id: z.number(),
  at: Timestamp,
  actor: z.string(),
  orgId: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  summary: z
    .record(z.string(), z.unknown())
    .describe('What changed: before/after halves of the changed fields'),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const auditChannels = {
  'audit.list': channel({
    summary: 'Audit trail entries, newest first or sorted, filtered by org, actor, action and time',
    kind: 'read',
    permission: 'audit.read',
    input: z
      .object({
        org: Id.optional(),
        actor: z.string().trim().max(200).optional(),
        action: z
          .string()
          .trim()
          .max(60)
          .regex(/^[a-z_.]*$/, 'An action looks like org.created, or a prefix such as org')
          .optional(),
        from: DateTime.optional(),
        to: DateTime.optional(),
        sort: z
          .enum(AUDIT_SORTS, { error: 'Sort by time, org, actor or action' })
          .default('time')
          .describe('Org sorts by the org’s name; entries of no org come last'),
        direction: z
          .enum(['asc', 'desc'], { error: 'The direction is asc or desc' })
          .default('desc')
          .describe('With the default sort: newest first'),
        page: z.number().int().min(1).max(1_000_000).default(1),
        pageSize: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: z.object({ items: z.array(AuditEntry), total: z.number() }),
  }),
  'audit.actions': channel({
    summary: 'The distinct actions among the audit entries the session may see, A to Z',
    kind: 'read',
    permission: 'audit.read',
    input: z.object({}).strict(),
    output: z.array(z.string()),
  }),
  'audit.verify': channel({
    summary: 'Check the audit trail’s hash chain: any changed, removed or reordered entry breaks it',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({
      intact: z.boolean(),
      entries: z.number(),
      firstBroken: z.object({ id: z.number(), reason: z.string() }).nullable(),
    }),
  }),
};
