/**
 * What a failed statement means, by the engine's own error code (SQLite's extended result codes,
 * PostgreSQL's SQLSTATE): the one place outside the SQL that knows these codes, so services answer
 * "changed meanwhile" or "too large" without each keeping its own copy of a number.
 */
const codeOf = (error: unknown): string => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
};

/** A key already taken in a unique index or primary key (SQLite, or PostgreSQL's 23505). */
export const isUniqueViolation = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** Any rule of the schema refused the write: SQLite's constraint codes or PostgreSQL's class 23. */
export const isConstraintError = (error: unknown): boolean => {
  const code = codeOf(error);
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code);
};

/**
 * An integer sum past 2^63: SQLite turns it into a REAL that an INTEGER column refuses
 * (SQLITE_CONSTRAINT_DATATYPE on a STRICT table); PostgreSQL says 22003 (numeric value out of range).
 */
export const isIntegerOverflow = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === '22003' || code === 'SQLITE_CONSTRAINT_DATATYPE';
};

/** PostgreSQL refused a value past a size limit of its own (54000): a text's search index over 1 MB. */
export const isProgramLimitExceeded = (error: unknown): boolean => codeOf(error) === '54000';

/** PostgreSQL did not get a lock within lock_timeout (55P03). */
export const isLockTimeout = (error: unknown): boolean => codeOf(error) === '55P03';

/** PostgreSQL cancelled the transaction out of a deadlock (40P01); written again, it may pass. */
export const isDeadlock = (error: unknown): boolean => codeOf(error) === '40P01';

/** A statement of the transaction failed before, so PostgreSQL refuses the rest of it (25P02). */
export const isAbortedTransaction = (error: unknown): boolean => codeOf(error) === '25P02';

/** SQLite could not get a lock another connection holds (SQLITE_BUSY…, SQLITE_LOCKED…). */
export const isSqliteBusy = (error: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(codeOf(error));
