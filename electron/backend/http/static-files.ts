import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
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

/**
 * Built assets already read, by path. Their names carry a hash of their content, so what was read
 * stays right; a page's cold load (a few dozen files) then costs the server no file system calls.
 */
const assetBytes = new Map<string, Buffer>();

async function fileAt(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built renderer; paths without an extension fall back to index.html (client-side routes).
 * index.html takes `pageHead()` at the end of its head: what this request's page should start with.
 */
export async function serveStatic(
  root: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  pageHead: () => Promise<string>,
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
  const cached = assetBytes.get(file);
  if (cached) {
    sendAsset(file, cached, req, res);
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
  const headers = staticHeaders(file);
  if (isHtml) {
    const html = req.method === 'HEAD' ? '' : await readFile(file, 'utf8');
    const head = req.method === 'HEAD' ? '' : await pageHead();
    // The page carries the signed-in user (pageHead): no cache may keep it for the next one.
    res.writeHead(200, {
      ...headers,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Frame-Options': 'DENY',
    });
    // A function, not a string: a replacement string would read `$&` or `$'` in the head as patterns.
    res.end(html.replace('</head>', () => `${head}</head>`));
    return;
  }
  if (file.startsWith(join(base, 'assets') + sep)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      res.writeHead(404).end('Not found');
      return;
    }
    assetBytes.set(file, bytes);
    sendAsset(file, bytes, req, res);
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file that goes away mid-read ends this response, never the process (an unhandled stream error would).
  pipeline(createReadStream(file), res, () => {});
}

function staticHeaders(file: string) {
  return {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function sendAsset(file: string, bytes: Buffer, req: IncomingMessage, res: ServerResponse): void {
  // Asset names carry a hash of their content: a browser keeps them for good.
  res.writeHead(200, {
    ...staticHeaders(file),
    'Content-Length': bytes.length,
    'Cache-Control': 'public, max-age=31536000, immutable',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
