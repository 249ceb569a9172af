import * as z from 'zod';
import { channel } from './channel';
import { Day, Id, Month, Timestamp } from './fields';

export const ALERT_KINDS = ['actual', 'forecast'] as const;

export const BudgetAlert = z.object({
  id: z.number().int(),
  org: z.object({ id: Id, slug: z.string(), name: z.string() }),
  month: z.string().describe('The UTC month, YYYY-MM'),
  threshold: z.number().int().describe('Percent of the budget'),
  kind: z
    .enum(ALERT_KINDS)
    .describe(
      'actual: the cost so far reached it; forecast: the month’s forecast will (the cost so far has not yet)',
    ),
  budget_use: z.number().describe('The share of the budget used (actual) or forecast, when last checked'),
  reached_on: Day.nullable().describe('forecast: the UTC day the forecast reaches the threshold'),
  message: z.string().describe('One line for people: "Acme: 85% of the December budget used (alert at 80%)"'),
  raised_at: Timestamp,
  resolved_at: Timestamp.nullable().describe('When use fell back under the threshold; null while open'),
});
export type BudgetAlert = z.infer<typeof BudgetAlert>;

export const WebhookDelivery = z.object({
  id: z.number().int(),
  alert_id: z.number().int(),
  org: z.object({ id: Id, slug: z.string(), name: z.string() }).nullable(),
  event: z.enum(['raised', 'resolved']),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  last_status: z.number().int().nullable().describe('The HTTP status of the last attempt'),
  last_error: z.string().nullable(),
  next_attempt_at: Timestamp.nullable(),
  created_at: Timestamp,
  delivered_at: Timestamp.nullable(),
});

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'A webhook URL is an http:// or https:// address' })
  .max(2000)
  // fetch refuses such a URL, and the error it throws (logged, and kept on the delivery) repeats it.
  .refine(
    (url) => !/^[a-z]+:[/\\]*[^/\\?#]*@/i.test(url),
    'A webhook URL cannot carry a user name or password: the signing secret proves it is Orgdeck',
  );

export const WebhookSettings = z.object({
  url: z.string().nullable().describe('Where alert events are POSTed; null for no webhook'),
  has_secret: z.boolean().describe('A signing secret is set (it is never shown again)'),
});

export const alertChannels = {
  'alerts.list': channel({
    summary: 'Budget alerts (the MSP’s cost against each org’s budget), newest first',
    kind: 'read',
    permission: 'billing.read',
    input: z
      .object({
        status: z.enum(['open', 'all']).default('open').describe('open: raised and not resolved'),
        month: Month.optional().describe(
          'Absent: open alerts of the current month, or every month with status all',
        ),
        org: Id.optional(),
      })
      .strict(),
    output: z.array(BudgetAlert),
  }),
  'alerts.check': channel({
    summary:
      'Check every org’s budget against its alert thresholds now (imports and an hourly timer do it too)',
    kind: 'write',
    permission: 'billing.manage',
    input: z.object({}).strict(),
    output: z.object({ raised: z.number().int(), resolved: z.number().int(), open: z.number().int() }),
  }),
  'alerts.webhook': channel({
    summary: 'The budget alert webhook: its URL, and whether a signing secret is set (owners only)',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: WebhookSettings,
  }),
  'alerts.setWebhook': channel({
    summary:
      'Set the budget alert webhook (owners only): events are POSTed as JSON with X-Orgdeck-Signature: sha256=<HMAC-SHA256 of the body>',
    kind: 'write',
    permission: 'settings.manage',
    input: z
      .object({
        url: WebhookUrl.nullable().describe('null removes the webhook and its secret'),
        secret: z
          .string()
          .min(16, 'A signing secret is at least 16 characters')
          .max(200)
          .optional()
          .describe('Absent: keep the secret already set'),
      })
      .strict(),
    output: WebhookSettings,
  }),
  'alerts.deliveries': channel({
    summary: 'The webhook’s delivery log, newest first (owners only)',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: z.array(WebhookDelivery),
  }),
};
