import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
}

export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Extra trusted certificate(s) in PEM, for a server with a self-signed or private CA. */
  ca?: string | Buffer;
  timeoutMs: number;
}

/**
 * One request with node:http(s) rather than fetch: only these take a `ca` for a self-signed server
 * (NODE_EXTRA_CA_CERTS works either way). Rejects on network failure or timeout; any HTTP status resolves.
 */
export function requestJson(url: URL, options: HttpRequestOptions): Promise<HttpReply> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        headers: {
          Accept: 'application/json',
          ...(options.body !== undefined
            ? {
                'Content-Type': 'application/json',
                'Content-Length': String(Buffer.byteLength(options.body)),
              }
            : {}),
          ...options.headers,
        },
        ...(options.ca !== undefined && url.protocol === 'https:' ? { ca: options.ca } : {}),
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${options.timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
