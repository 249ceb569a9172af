/**
 * A value made the first time it is asked for, then kept. For the Intl formatters a module would
 * otherwise make as it loads: a page's first Intl object sets up the locale data (20-40 ms on a busy
 * machine), which then delays every cold start, whether or not its first screen formats anything.
 */
export function lazily<Value>(make: () => Value): () => Value {
  let made: { value: Value } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
