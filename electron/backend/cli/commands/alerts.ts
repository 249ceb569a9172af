import type { BudgetAlert } from '../../../../shared/contract/alerts';
import { CliFailure, callAsOwner, formatTable } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

const alertRow = (alert: BudgetAlert) => ({
  org: alert.org.slug,
  month: alert.month,
  kind: alert.kind,
  threshold: `${alert.threshold}%`,
  status: alert.resolved_at ? 'resolved' : 'open',
  message: alert.message,
});

export const alertCommands: Command[] = [
  {
    words: ['alerts'],
    usage: 'alerts [--status open|all] [--month YYYY-MM] [--org SLUG] [--json]',
    summary:
      'Budget alerts: open ones of this month by default (an org’s cost, or its forecast, reached one of its thresholds)',
    options: { status: { type: 'string' }, month: { type: 'string' }, org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const alerts = await callAsOwner(backend, 'alerts.list', {
        status: str(values.status),
        month: str(values.month),
        org: slug ? (await bySlug(backend, slug)).id : undefined,
      });
      if (json) io.out(JSON.stringify(alerts, null, 2));
      else
        io.out(
          alerts.length === 0
            ? 'No budget alerts.'
            : formatTable(alerts.map(alertRow), ['org', 'month', 'kind', 'threshold', 'status', 'message']),
        );
    },
  },
  {
    words: ['alerts', 'check'],
    usage: 'alerts check [--json]',
    summary:
      'Check every org’s budget against its alert thresholds now (imports and the server do it hourly)',
    options: {},
    async run(_args, { backend, io, json }) {
      const result = await callAsOwner(backend, 'alerts.check', {});
      io.out(
        json
          ? JSON.stringify(result, null, 2)
          : `${result.raised} raised, ${result.resolved} resolved; ${result.open} open this month.`,
      );
    },
  },
  {
    words: ['alerts', 'webhook'],
    usage: 'alerts webhook [--json]',
    summary: 'Show the budget alert webhook (owners only)',
    options: {},
    async run(_args, { backend, io, json }) {
      const hook = await callAsOwner(backend, 'alerts.webhook', {});
      if (json) io.out(JSON.stringify(hook, null, 2));
      else io.out(hook.url ? `Alerts are POSTed to ${hook.url}, signed.` : 'No alert webhook is set.');
    },
  },
  {
    words: ['alerts', 'webhook', 'set'],
    usage: 'alerts webhook set --url URL [--secret-stdin] [--json]',
    summary:
      'POST budget alerts as JSON to URL, signed with X-Orgdeck-Signature: sha256=<HMAC-SHA256 of the body> (the secret read from standard input)',
    options: { url: { type: 'string' }, 'secret-stdin': { type: 'boolean' } },
    async run({ values }, { backend, io, json }) {
      const url = str(values.url);
      if (!url) throw new CliFailure({ code: 'VALIDATION', message: 'Say where with --url URL.' }, 2);
      // On standard input: a secret on the command line would end up in shell history and `ps`.
      const secret =
        values['secret-stdin'] === true ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
      const hook = await callAsOwner(backend, 'alerts.setWebhook', { url, secret });
      io.out(json ? JSON.stringify(hook, null, 2) : `Alerts will be POSTed to ${hook.url}.`);
    },
  },
  {
    words: ['alerts', 'webhook', 'remove'],
    usage: 'alerts webhook remove',
    summary: 'Stop sending budget alerts to a webhook, forgetting its secret',
    options: {},
    async run(_args, { backend, io }) {
      await callAsOwner(backend, 'alerts.setWebhook', { url: null });
      io.out('The alert webhook is removed.');
    },
  },
  {
    words: ['alerts', 'deliveries'],
    usage: 'alerts deliveries [--json]',
    summary: 'The webhook’s delivery log: status, attempts and last error (owners only)',
    options: {},
    async run(_args, { backend, io, json }) {
      const log = await callAsOwner(backend, 'alerts.deliveries', {});
      if (json) io.out(JSON.stringify(log, null, 2));
      else
        io.out(
          log.length === 0
            ? 'Nothing was sent.'
            : formatTable(
                log.map((d) => ({
                  sent: d.created_at,
                  org: d.org?.slug ?? '',
                  event: d.event,
                  status: d.status,
                  attempts: String(d.attempts),
                  error: d.last_error ?? '',
                })),
                ['sent', 'org', 'event', 'status', 'attempts', 'error'],
              ),
        );
    },
  },
];
