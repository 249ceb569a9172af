export const SESSION_COOKIE = 'orgdeck_session';
/**
 * The session cookie's name over TLS. Browsers take a `__Host-` cookie only from a secure page of
 * this very host, with `Path=/` and no `Domain`: a site on a sibling subdomain, or on another port
 * of this host over plain HTTP, cannot plant one of its own for the console to act on.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
/** A random secret naming this browser to the sign-in throttle; see services/sign-in-limits. */
export const DEVICE_COOKIE = 'orgdeck_device';
const DEVICE_COOKIE_DAYS = 365;

/**
 * The value of the one cookie named `name`; null when there is none, or more than one: any app on
 * this host can set a cookie of that name at a narrower path, which the browser then sends first,
 * and which of them is ours cannot be told.
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const values = header
    .split(';')
    .filter((part) => {
      const eq = part.indexOf('=');
      return eq > 0 && part.slice(0, eq).trim() === name;
    })
    .map((part) => part.slice(part.indexOf('=') + 1).trim());
  if (values.length !== 1) return null;
  // A malformed value (any app on this host can set one) counts as no cookie, not as a server error.
  try {
    return decodeURIComponent(values[0] as string);
  } catch {
    return null;
  }
}

/** HttpOnly so page scripts never see the token; SameSite=Strict so other sites cannot ride on it. */
export function sessionCookie(token: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  const name = sessionCookieName(secure);
  return token === null
    ? [`${name}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${name}=${encodeURIComponent(token)}`, ...attributes].join('; ');
}

/** Kept a year, HttpOnly and SameSite=Strict like the session cookie; it grants nothing by itself. */
export function deviceCookie(secret: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${encodeURIComponent(secret)}`,
    `Max-Age=${DEVICE_COOKIE_DAYS * 86_400}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
