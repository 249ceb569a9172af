import { useEffect, useState } from 'react';

export type FormSchemas = typeof import('./form-schemas');

let loading: Promise<FormSchemas> | undefined;
let loaded: FormSchemas | undefined;

/** The form schemas, loading them once; a failed load is tried again on the next call. */
export function loadFormSchemas(): Promise<FormSchemas> {
  loading ??= import('./form-schemas').then(
    (schemas) => {
      loaded = schemas;
      return schemas;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The form schemas once loaded (at once when an earlier screen loaded them); `needed` starts the load. */
export function useFormSchemas(needed = true): FormSchemas | undefined {
  const [schemas, setSchemas] = useState(loaded);
  useEffect(() => {
    if (!needed || schemas) return;
    let shown = true;
    void loadFormSchemas().then((next) => {
      if (shown) setSchemas(next);
    });
    return () => {
      shown = false;
    };
  }, [needed, schemas]);
  return schemas;
}
