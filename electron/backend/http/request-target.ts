/**
 * The path of an origin-form request target ("/a/b?c" gives "/a/b"), or null for every other form
 * ("*", "http://x/", anything not starting with "/"). Never throws: `new URL('//', base)` did, and one
 * such request ended the server. Only the path is kept: a query string is where a careless client
 * would put a secret, and the log must not hold it.
 */
export function requestPath(target: string | undefined): string | null {
  if (!target?.startsWith('/')) return null;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The host name a Host header names, lower case, without port, brackets or a trailing dot; null if none. */
export function hostNameOf(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close === -1) return null;
    name = value.slice(1, close);
  } else {
    const colon = value.indexOf(':');
    name = colon === -1 ? value : value.slice(0, colon);
  }
  name = name.endsWith('.') ? name.slice(0, -1) : name;
  return name === '' ? null : name;
}

/**
 * Whether a request's Host names this server. DNS rebinding points a name the attacker owns at
 * 127.0.0.1; the browser then sends that name as Host (and as Origin), so only a list of names this
 * server knows to be its own tells the two apart: the loopback names and those it was given.
 */
export function hostAllowList(extraNames: readonly string[]): (header: string | undefined) => boolean {
  // Names come bare ("::1", "orgdeck.example.com"), so an IPv6 address is bracketed to read as a Host.
  const asHost = (name: string) => (name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
  const known = new Set([...LOOPBACK_NAMES, ...extraNames].map((name) => hostNameOf(asHost(name))));
  return (header) => {
    const name = hostNameOf(header);
    return name !== null && known.has(name);
  };
}
