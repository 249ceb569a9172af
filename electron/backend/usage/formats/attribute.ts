import type { UsageIdentity } from '../../../../shared/domain/usage-identity';
import type { AliasHandles } from '../../store/repos/agent-aliases-repo';
import type { ProviderUsageRow } from './provider-row';

/** A row and the handle of the agent one of its identities is an alias of. */
export interface AttributedRow {
  row: ProviderUsageRow;
  agent: string;
}

const TOKEN_COLUMNS = [
  'input_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
] as const;

/** The rows of one identity no alias maps, and their tokens by category. */
export type UnmatchedIdentity = UsageIdentity & { rows: number } & Record<
    (typeof TOKEN_COLUMNS)[number],
    number
  >;

/**
 * Gives rows, one at a time, the agent of their first identity that has an alias (rows name the
 * most specific first: a key's alias beats its project's). Rows none of whose identities has one
 * are tallied, grouped by their most specific identity, so the user can map it and import again:
 * what is kept grows with the identities, not the rows.
 */
export function createAttributor(handles: AliasHandles) {
  const unmatched = new Map<
    UsageIdentity['source'],
    Map<UsageIdentity['kind'], Map<string, UnmatchedIdentity>>
  >();
  return {
    /** The handle of the row's agent, or undefined when no identity of it is mapped (it is tallied). */
    agentOf(row: ProviderUsageRow): string | undefined {
      const agent = row.identities
        .map((identity) => handles.get(identity.source)?.get(identity.kind)?.get(identity.value))
        .find((handle) => handle !== undefined);
      if (agent !== undefined) return agent;
      const [first] = row.identities as [UsageIdentity];
      let kinds = unmatched.get(first.source);
      if (kinds === undefined) {
        kinds = new Map();
        unmatched.set(first.source, kinds);
      }
      let values = kinds.get(first.kind);
      if (values === undefined) {
        values = new Map();
        kinds.set(first.kind, values);
      }
      let group = values.get(first.value);
      if (group === undefined) {
        group = {
          ...first,
          rows: 0,
          ...Object.fromEntries(TOKEN_COLUMNS.map((column) => [column, 0])),
        } as UnmatchedIdentity;
        values.set(first.value, group);
      }
      group.rows++;
      for (const column of TOKEN_COLUMNS) group[column] += row[column];
      return undefined;
    },
    /** The identities no alias mapped, with their rows and tokens. */
    unmatched: (): UnmatchedIdentity[] =>
      [...unmatched.values()].flatMap((kinds) =>
        [...kinds.values()].flatMap((values) => [...values.values()]),
      ),
  };
}
