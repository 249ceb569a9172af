import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine injects its CSS variables in <style> tags at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

async function fileAt(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Serves the built renderer; paths without an extension fall back to index.html (client-side routes). */
export async function serveStatic(
  root: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const base = resolve(root);
  let pathname: string;
  try {
    pathname = decodeURIComponent(path);
  } catch {
    res.writeHead(400).end('Bad path');
    return;
  }
  if (pathname.includes('\0')) {
    res.writeHead(404).end('Not found');
    return;
  }
  let file = resolve(join(base, pathname));
  if (file !== base && !file.startsWith(base + sep)) {
    res.writeHead(404).end('Not found');
    return;
  }
  if (!(await fileAt(file))) {
    if (extname(pathname) !== '') {
      res.writeHead(404).end('Not found');
      return;
    }
    file = join(base, 'index.html');
    if (!(await fileAt(file))) {
      res
        .writeHead(503, { 'Content-Type': 'text/plain' })
        .end('The console is not built yet: run `npm run build`.');
      return;
    }
  }
  const isHtml = extname(file) === '.html';
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...(isHtml ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file that goes away mid-read ends this response, never the process (an unhandled stream error would).
  pipeline(createReadStream(file), res, () => {});
}
