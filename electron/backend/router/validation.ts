import type * as z from 'zod';
import { AppError } from '../../../shared/contract/envelope';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** A zod failure as the one VALIDATION error every transport shows: first problem in the message, all in details. */
export function validationError(error: z.ZodError): AppError {
  const issues: FieldIssue[] = error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError('VALIDATION', `${where}${first?.message ?? 'Invalid input'}${more}`, { issues });
}
