import type * as z from 'zod';
import type { Permission } from '../domain/permissions';

export interface Channel<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  /** One line for the OpenAPI document and the CLI's help. */
  summary: string;
  /** Reads may be retried and cached; writes never are. */
  kind: 'read' | 'write';
  /**
   * A write that replaces what other writes change (a restore): it runs alone, after the writes
   * under way, and writes that come meanwhile wait for it.
   */
  alone?: true;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(spec: Channel<I, O>): Channel<I, O> {
  return spec;
}

export type ChannelMap = Record<string, Channel>;

/**
 * Joins the per-domain channel maps into one contract. A name declared twice is a programming
 * error that must stop the app at start-up, not shadow a handler silently.
 */
export function defineContract<const T extends readonly ChannelMap[]>(
  ...groups: T
): UnionToIntersection<T[number]> {
  const contract: ChannelMap = {};
  for (const group of groups) {
    for (const [name, spec] of Object.entries(group)) {
      if (Object.hasOwn(contract, name))
        throw new Error(`Channel "${name}" is declared twice in the contract.`);
      if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(name)) {
        throw new Error(`Channel "${name}" must be named domain.action (e.g. orgs.create).`);
      }
      contract[name] = spec;
    }
  }
  return contract as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
