export const SESSION_COOKIE = 'orgdeck_session';
/** A random secret naming this browser to the sign-in throttle; see services/sign-in-limits. */
export const DEVICE_COOKIE = 'orgdeck_device';
const DEVICE_COOKIE_DAYS = 365;

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed value (any app on this host can set one) counts as no cookie, not as a server error.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {}
    }
  }
  return null;
}

/** HttpOnly so page scripts never see the token; SameSite=Strict so other sites cannot ride on it. */
export function sessionCookie(token: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return token === null
    ? [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, ...attributes].join('; ');
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
