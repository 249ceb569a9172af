import type { ChannelMap } from '../../../shared/contract/channel';
import {
  type ApiError,
  AppError,
  type Envelope,
  INTERNAL_ERROR,
  noSuchChannel,
  signInFirst,
} from '../../../shared/contract/envelope';
import { mayCall } from '../../../shared/domain/permissions';
import type { Logger } from '../logger';
import { ANONYMOUS, type Principal } from '../services/principal';
import type { OrgScope } from '../store/org-scope';
import type { CallSession, HandlerContext, HandlerGroup } from './handler';
import { scopeFor } from './scopes';
import { validationError } from './validation';
import { createWriteTurns } from './write-turns';

export interface RouterDeps {
  contract: ChannelMap;
  groups: HandlerGroup[];
  principalFor(token: string): Principal | null;
  logger: Logger;
  /**
   * Runs one call as one unit of the store's work (Store.call): on PostgreSQL a transaction that
   * sees an org's rows only once `enter` names the scope minted here.
   */
  inCall?<T>(work: (enter: (scope: OrgScope) => void) => Promise<T>): Promise<T>;
}

type AnyHandler = (input: unknown, ctx: HandlerContext) => unknown;

function joinHandlers(contract: ChannelMap, groups: HandlerGroup[]): Map<string, AnyHandler> {
  const handlers = new Map<string, AnyHandler>();
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (!Object.hasOwn(contract, name))
        throw new Error(`A handler is registered for "${name}", which the contract does not declare.`);
      if (handlers.has(name)) throw new Error(`Channel "${name}" has two handlers.`);
      handlers.set(name, handler as AnyHandler);
    }
  }
  const missing = Object.keys(contract).filter((name) => !handlers.has(name));
  if (missing.length > 0) throw new Error(`No handler for channel(s): ${missing.join(', ')}.`);
  return handlers;
}

/** What a user who must enrol a second factor may still call: enrolling, and leaving. */
const OPEN_BEFORE_ENROLMENT = new Set([
  'session.signOut',
  'twoFactor.status',
  'twoFactor.begin',
  'twoFactor.confirm',
]);

/**
 * An org the caller holds, named by a request their role there does not allow, answers FORBIDDEN
 * rather than the NOT_FOUND the service gives for an org outside the scope: the caller knows it exists.
 */
function refuseHeldButNotAllowed(input: unknown, scope: OrgScope, principal: Principal | null): void {
  const orgId =
    typeof input === 'object' && input !== null ? (input as { orgId?: unknown }).orgId : undefined;
  if (typeof orgId !== 'string' || scope.allows(orgId)) return;
  if (scopeFor(principal, 'orgs.read').allows(orgId))
    throw new AppError('FORBIDDEN', 'Your role in this organization does not allow this.');
}

/**
 * The one way into the backend, shared by IPC, HTTP and the CLI: authenticate, authorize,
 * validate, scope, call, and answer with an envelope — never a thrown error or a stack trace.
 */
/** An envelope as JSON text, with the error it holds (null when it is ok). */
export interface JsonEnvelope {
  json: string;
  error: ApiError | null;
}

export const jsonEnvelope = (envelope: Envelope<unknown>): JsonEnvelope => ({
  json: JSON.stringify(envelope),
  error: envelope.ok ? null : envelope.error,
});

/** What a transport answers for an envelope JSON cannot carry: a handler's bug, not the caller's. */
const UNWRITABLE = {
  code: 'INTERNAL',
  message: 'Something went wrong on our side; please try again.',
} as const;

/**
 * A call's answer as JSON text, for a transport that sends it on as it is: a backend host's threads
 * make the text, so a large report is never rebuilt as objects, and collected, on the transport's
 * thread; an in-process router's envelope is written as text here.
 */
export async function callForText(
  router: Router,
  name: string,
  input: unknown,
  session: CallSession,
): Promise<JsonEnvelope> {
  if (router.callAsJson) return router.callAsJson(name, input, session);
  const envelope = await router.call(name, input, session);
  try {
    return jsonEnvelope(envelope);
  } catch {
    return { json: JSON.stringify({ ok: false, error: UNWRITABLE }), error: UNWRITABLE };
  }
}

/** What every transport calls. */
export interface Router {
  channels: string[];
  call(name: string, input: unknown, session: CallSession): Promise<Envelope<unknown>>;
  /**
   * The same answer as JSON text, for a transport that sends it on as it is (the HTTP server, the
   * desktop's IPC; see callForText). The backend host's threads answer it as text: a large report
   * is never rebuilt as objects, and collected, on the transport's thread.
   */
  callAsJson?(name: string, input: unknown, session: CallSession): Promise<JsonEnvelope>;
}

/** How long a call that runs alone (a restore) waits for the writes under way before it is refused. */
const ALONE_WAIT_MS = 10_000;

const directly = <T>(work: (enter: (scope: OrgScope) => void) => Promise<T>) => work(() => {});

export function createRouter({
  contract,
  groups,
  principalFor,
  logger,
  inCall = directly,
}: RouterDeps): Router {
  const handlers = joinHandlers(contract, groups);
  const writes = createWriteTurns();

  async function dispatch(
    name: string,
    rawInput: unknown,
    session: CallSession,
    enter: (scope: OrgScope) => void,
  ): Promise<unknown> {
    const spec = Object.hasOwn(contract, name) ? contract[name] : undefined;
    const handler = handlers.get(name);
    if (!spec || !handler) throw noSuchChannel(name);

    const principal = session.principal ?? (session.token ? principalFor(session.token) : null);
    if (principal?.userId) session.identified?.(principal.userId);
    if (spec.permission !== 'public') {
      if (!principal) throw signInFirst();
      if (principal.mustEnrolTwoFactor && !OPEN_BEFORE_ENROLMENT.has(name))
        throw new AppError('FORBIDDEN', 'Set up two-factor sign-in first: it is required here.', {
          needs: 'totp_enrolment',
        });
      if (!mayCall(principal, spec.permission)) {
        throw new AppError('FORBIDDEN', 'Your role does not allow this.');
      }
    }

    const parsed = spec.input.safeParse(rawInput === undefined || rawInput === null ? {} : rawInput);
    if (!parsed.success) throw validationError(parsed.error);

    const scope = scopeFor(principal, spec.permission);
    refuseHeldButNotAllowed(parsed.data, scope, principal);
    enter(scope);
    const result = await handler(parsed.data, { principal: principal ?? ANONYMOUS, scope, session });
    // Parsing the output also strips any column a handler let through by mistake.
    const output = spec.output.safeParse(result);
    if (!output.success)
      throw new Error(`Handler for ${name} returned data outside its contract: ${output.error.message}`);
    return output.data;
  }

  return {
    channels: Object.keys(contract),
    async call(name: string, rawInput: unknown, session: CallSession): Promise<Envelope<unknown>> {
      try {
        const run = () => inCall((enter) => dispatch(name, rawInput, session, enter));
        const spec = Object.hasOwn(contract, name) ? contract[name] : undefined;
        // Waiting for its turn outside the store's call: no transaction is held meanwhile.
        const data =
          spec?.kind !== 'write'
            ? await run()
            : spec.alone
              ? await writes.alone(run, ALONE_WAIT_MS)
              : await writes.write(run);
        return { ok: true, data };
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: error.toApiError() };
        logger.error('channel failed', {
          channel: name,
          error: error instanceof Error ? error.message : String(error),
        });
        return { ok: false, error: INTERNAL_ERROR };
      }
    },
  };
}
