import type { Envelope } from './envelope';
import type { ChannelInput, ChannelName, ChannelOutput } from './index';

type DomainOf<N> = N extends `${infer D}.${string}` ? D : never;
type ActionOf<N, D extends string> = N extends `${D}.${infer A}` ? A : never;

/**
 * What the preload exposes as `window.orgdeck`: one function per contract channel, grouped by
 * domain (`orgdeck.orgs.list(input)`), each answering with an envelope. Nothing generic.
 */
export type OrgdeckBridge = {
  [D in DomainOf<ChannelName>]: { [A in ActionOf<ChannelName, D>]: BridgeFunction<`${D}.${A}`> };
};

type BridgeFunction<N extends string> = N extends ChannelName
  ? (input: ChannelInput<N>) => Promise<Envelope<ChannelOutput<N>>>
  : never;

/** Splits "orgs.list" into ["orgs", "list"]; the contract guarantees exactly one dot. */
export function splitChannel(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
