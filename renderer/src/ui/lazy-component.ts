import { type ComponentType, lazy } from 'react';

/**
 * A component whose code loads when it first renders, as React.lazy's, with `preload` to start that
 * load earlier (once; the render then takes the same promise), so it can run alongside other loads
 * rather than after them.
 */
export function lazyComponent<Props>(load: () => Promise<ComponentType<Props>>) {
  let loading: Promise<ComponentType<Props>> | undefined;
  const preload = () => {
    loading ??= load();
    return loading;
  };
  return { Component: lazy(async () => ({ default: await preload() })), preload };
}
