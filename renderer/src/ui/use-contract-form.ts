import { notifications } from '@mantine/notifications';
import { type ChangeEvent, type SubmitEvent, useRef, useState } from 'react';
import type * as z from 'zod';
import { type FieldIssue, fieldIssues } from '../api/client';
import { type FormSchemas, loadFormSchemas } from './load-form-schemas';
import { mutateThen } from './mutate-then';

/** Which error slot shows an issue, and with what message. */
export type IssuePlacement = (issue: FieldIssue) => { field: string; message: string };

const onTopLevelField: IssuePlacement = ({ path, message }) => ({ field: String(path[0] ?? ''), message });

/**
 * Form state checked with the same zod schema the router uses, so the screen and the server
 * agree on every rule and message; server-side refusals land on the same fields. `select` picks
 * (or builds) the schema from the form schemas, which start loading at the form's first edit (or
 * its submit): building them takes 60–100 ms of the page's thread, which at mount would land in
 * the page's first load. `place` puts issues of nested values on slots of their own (the
 * top-level field by default).
 */
export function useContractForm<S extends z.ZodType>(
  select: (schemas: FormSchemas) => S,
  initial: z.input<S>,
  place: IssuePlacement = onTopLevelField,
) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const schema = useRef<S>(undefined);

  /** Sets a field and clears the error slot it fed (the field's own unless named). */
  function set<K extends keyof z.input<S>>(field: K, value: z.input<S>[K], slot = field as string) {
    void loadFormSchemas();
    setValues((current) => ({ ...(current as object), [field]: value }) as z.input<S>);
    setErrors(({ [slot]: _cleared, ...rest }) => rest);
  }

  function show(issues: FieldIssue[]): Record<string, string> {
    const next: Record<string, string> = {};
    for (const issue of issues) {
      const { field, message } = place(issue);
      if (field && !next[field]) next[field] = message;
    }
    setErrors(next);
    return next;
  }

  async function validate(): Promise<z.output<S> | null> {
    schema.current ??= select(await loadFormSchemas());
    const parsed = schema.current.safeParse(values);
    if (parsed.success) return parsed.data;
    show(
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        // The screen only hands a field the wrong type when it is empty (a cleared number, say).
        message: issue.code === 'invalid_type' ? 'Enter a value' : issue.message,
      })),
    );
    return null;
  }

  function showServerErrors(error: unknown): boolean {
    return Object.keys(show(fieldIssues(error))).length > 0;
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
    /** Like `text`, for a field where an empty input means null (no value, not an empty one). */
    textOrNull<K extends keyof z.input<S> & string>(field: K) {
      return {
        value: ((values as Record<string, unknown>)[field] as string | null | undefined) ?? '',
        error: errors[field],
        onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
          set(field, (event.currentTarget.value === '' ? null : event.currentTarget.value) as z.input<S>[K]),
      };
    },
    reset(next: z.input<S>) {
      setValues(next);
      setErrors({});
    },
    /** The parsed input, or null after showing what is wrong (once the schemas have loaded). */
    validate,
    /** Puts a refusal's field messages on the fields; false when it named no field. */
    showServerErrors,
    /**
     * An onSubmit that sends only input the contract accepts, and puts a refusal where the user
     * looks: on the fields it names, or else in a notification titled `failed`. `done` runs through
     * `mutateThen`: a form keyed by what it saves (a policy's version) remounts with the saved data,
     * sometimes before `mutate`'s callbacks ran, and its "Saved" notification was then never shown.
     */
    submit<R>(
      mutation: { mutateAsync: (input: z.output<S>) => Promise<R> },
      done: (result: R) => void,
      failed = 'Could not save',
    ) {
      const refused = (error: Error) => {
        if (!showServerErrors(error))
          notifications.show({ color: 'red', title: failed, message: error.message });
      };
      return async (event: SubmitEvent<HTMLFormElement>) => {
        event.preventDefault();
        const input = await validate().catch(refused);
        if (!input) return;
        await mutateThen(mutation, input, { onSuccess: done, onError: refused });
      };
    },
  };
}
