export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL',
  // Team mode: the server cannot be reached (writes refused offline), or client and server speak
  // different contract versions (the message says which side to update).
  'UNAVAILABLE',
  'VERSION_MISMATCH',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * What every transport carries back: never a thrown exception, never a stack trace. `cachedAt`
 * marks a read answered from the team-mode read cache while the server is unreachable.
 */
export type Envelope<T> = { ok: true; data: T; cachedAt?: string } | { ok: false; error: ApiError };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  VERSION_MISMATCH: 426,
};

/** Thrown inside the backend and by the typed client; turned into an envelope at every boundary. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toApiError(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** The answer to a call of a name the contract does not declare: the same from every transport. */
export const noSuchChannel = (name: string) =>
  new AppError('NOT_FOUND', `There is no channel named "${name}".`);

/** The answer to a call without a session of a channel that needs one. */
export const signInFirst = () => new AppError('UNAUTHENTICATED', 'Sign in to continue.');

/** The answer to a call that failed on the backend's side, once the failure is logged. */
export const INTERNAL_ERROR: ApiError = {
  code: 'INTERNAL',
  message: 'Something went wrong on our side. It has been logged; please try again.',
};
