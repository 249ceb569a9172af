import type { AlertsService } from '../../services/alerts-service';
import type { HandlerGroup } from '../handler';

export function alertHandlers(alerts: AlertsService): HandlerGroup {
  return {
    'alerts.list': (input, { scope }) => alerts.list(scope, input),
    'alerts.check': () => alerts.check(),
    'alerts.webhook': (_input, { principal }) => alerts.webhook(principal),
    'alerts.setWebhook': (input, { principal }) => alerts.setWebhook(principal, input),
    'alerts.deliveries': (_input, { principal }) => alerts.deliveries(principal),
  };
}
