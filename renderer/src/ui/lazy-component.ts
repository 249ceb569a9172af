import { type ComponentType, createElement, use } from 'react';

/**
 * A component whose code loads when it first renders, with `preload` to start that load earlier
 * (once; the render then takes the same promise), so it can run alongside other loads rather than
 * after them. Once the code is in, it draws at once rather than suspending as React.lazy does the
 * first time it renders: a Suspense fallback, once shown, keeps the content from showing for 300 ms.
 */
export function lazyComponent<Props extends object>(load: () => Promise<ComponentType<Props>>) {
  let loading: Promise<ComponentType<Props>> | undefined;
  let loaded: ComponentType<Props> | undefined;
  const preload = () => {
    loading ??= load().then((component) => {
      loaded = component;
      return component;
    });
    return loading;
  };
  // biome-ignore lint/correctness/noComponentHookFactories: made once per lazy component, at module load, as React.lazy's
  function Component(props: Props) {
    return createElement(loaded ?? use(preload()), props);
  }
  return { Component, preload };
}
