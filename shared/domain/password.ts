export const PASSWORD_MIN_LENGTH = 10;

/** The reason a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (new Set(password).size < 4) return 'Use more than a few different characters.';
  return null;
}
