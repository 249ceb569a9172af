import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

/**
 * A filter typed freely and applied once typing pauses. When the applied value changes elsewhere
 * (Clear filters, the nav link) the box follows it.
 */
export function useTypedFilter(applied: string, apply: (value: string) => void) {
  const [draft, setDraft] = useState(applied);
  const [seen, setSeen] = useState(applied);
  const later = useDebouncedCallback((value: string) => apply(value.trim()), 300);
  if (applied !== seen) {
    setSeen(applied);
    // Our own apply comes back as what was typed, trimmed: only another value replaces the box.
    if (applied !== draft.trim()) setDraft(applied);
  }
  return {
    value: draft,
    onChange(value: string) {
      setDraft(value);
      later(value);
    },
    /** Drops a change still waiting to apply, when the filters are cleared all at once. */
    cancel: () => later.cancel(),
    /** Applies at once, as picking a suggestion does. */
    commit(value: string) {
      later.cancel();
      setDraft(value);
      apply(value.trim());
    },
  };
}
