// Pure rules of the window's security, kept free of the electron import so they are tested under Node.

/** Only web pages leave the app, and only to the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Whether an IPC message comes from our own renderer: the packaged index.html (file:) or, in
 * development, the electron-vite dev server's origin. Anything else (an iframe, a page navigated
 * to by mistake) is refused.
 */
export function isTrustedRendererUrl(raw: string, rendererUrl: string): boolean {
  try {
    const url = new URL(raw);
    const expected = new URL(rendererUrl);
    if (expected.protocol === 'file:') return url.protocol === 'file:' && url.pathname === expected.pathname;
    return url.origin === expected.origin;
  } catch {
    return false;
  }
}
