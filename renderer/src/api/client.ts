import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import { transport } from './transport';

/**
 * Dispatched on window when an answer came from the offline cache or the server was unavailable,
 * so the connection banner updates at once instead of at its next poll.
 */
export const CONNECTION_EVENT = 'orgdeck:connection';

/** Calls one channel; a refused call throws an AppError carrying the server's code and message. */
export async function call<N extends ChannelName>(
  name: N,
  input: ChannelInput<N>,
): Promise<ChannelOutput<N>> {
  const envelope = await transport(name, input);
  if (envelope.ok ? envelope.cachedAt : envelope.error.code === 'UNAVAILABLE')
    window.dispatchEvent(new Event(CONNECTION_EVENT));
  if (!envelope.ok) throw new AppError(envelope.error.code, envelope.error.message, envelope.error.details);
  return envelope.data as ChannelOutput<N>;
}

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** The field issues of a VALIDATION or CONFLICT error; none for any other error. */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof AppError)) return [];
  return (error.details as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
}

/** Field-level messages from a VALIDATION or CONFLICT error, keyed by the top-level field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of fieldIssues(error)) {
    const field = String(issue.path[0] ?? '');
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
