import type { ChannelName, ChannelOutput, ChannelParsedInput } from '../../../shared/contract';
import type { Principal } from '../services/principal';
import type { OrgScope } from '../store/org-scope';

/** What the transport knows about the caller's session, and how it keeps a new one. */
export interface CallSession {
  token: string | null;
  /** Set on sign-in, cleared (null) on sign-out: a cookie for HTTP, main-process memory for IPC. */
  setToken(token: string | null): void;
  /** The CLI acts as the data directory's owner without signing in. */
  principal?: Principal;
  /** The client's IP address, for the per-address sign-in limit (HTTP only). */
  clientAddress?: string;
  /** The client's known-device secret (HTTP: its device cookie), if it has one. */
  deviceSecret?: string | null;
  /** Where a transport that can keep one (HTTP: an HttpOnly cookie) keeps the device secret after a sign-in. */
  setDeviceSecret?(secret: string): void;
  /** Told which user the call acts as once the router knows, for the transport's request log. */
  identified?(userId: string): void;
}

export interface HandlerContext {
  /** The signed-in caller; ANONYMOUS on a public channel called without a session. */
  principal: Principal;
  scope: OrgScope;
  session: CallSession;
}

export type Handler<N extends ChannelName> = (
  input: ChannelParsedInput<N>,
  ctx: HandlerContext,
) => ChannelOutput<N> | Promise<ChannelOutput<N>>;

/** One domain's handlers: a partial map, joined by the router, which insists on exactly one per channel. */
export type HandlerGroup = { [K in ChannelName]?: Handler<K> };
