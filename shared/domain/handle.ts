export const HANDLE_MAX = 64;
export const HANDLE_RULE =
  'lowercase letters, digits, dots, underscores and hyphens, starting with a letter or digit';

/** An agent's handle: the key usage imports use, so it is URL-safe and unique. */
export function isHandle(value: string): boolean {
  return value.length <= HANDLE_MAX && /^[a-z0-9][a-z0-9._-]*$/.test(value);
}
