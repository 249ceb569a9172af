import { type ChangeEvent, useState } from 'react';
import type { z } from 'zod';
import { fieldErrors } from '../api/client';

/**
 * Form state checked with the same zod schema the router uses, so the screen and the server
 * agree on every rule and message; server-side refusals land on the same fields.
 */
export function useContractForm<S extends z.ZodType>(schema: S, initial: z.input<S>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  function set<K extends keyof z.input<S>>(field: K, value: z.input<S>[K]) {
    setValues((current) => ({ ...(current as object), [field]: value }) as z.input<S>);
    setErrors(({ [field as string]: _cleared, ...rest }) => rest);
  }

  return {
    values,
    errors,
    set,
    /** Props that bind a text input to a string field: its value, its error, and what typing sets. */
    text<K extends keyof z.input<S> & string>(field: K) {
      return {
        value: ((values as Record<string, unknown>)[field] as string | undefined) ?? '',
        error: errors[field],
        onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
          set(field, event.currentTarget.value as z.input<S>[K]),
      };
    },
    reset(next: z.input<S>) {
      setValues(next);
      setErrors({});
    },
    /** The parsed input, or null after showing what is wrong. */
    validate(): z.output<S> | null {
      const parsed = schema.safeParse(values);
      if (parsed.success) return parsed.data;
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        // The screen only hands a field the wrong type when it is empty (a cleared number, say).
        if (field && !next[field])
          next[field] = issue.code === 'invalid_type' ? 'Enter a value' : issue.message;
      }
      setErrors(next);
      return null;
    },
    /** Puts a refusal's field messages on the fields; false when it named no field. */
    showServerErrors(error: unknown): boolean {
      const next = fieldErrors(error);
      setErrors(next);
      return Object.keys(next).length > 0;
    },
  };
}
