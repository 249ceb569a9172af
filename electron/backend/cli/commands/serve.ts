import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { keepServingThroughUncaughtErrors } from '../../http/keep-serving';
import { createHttpServer, listen, type TlsFiles } from '../../http/server';
import { jsonLogger } from '../../logger';
import { APP_VERSION } from '../../version';
import { CliFailure } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Listening on every interface: the machine's own addresses are its names too. */
const WILDCARD = new Set(['0.0.0.0', '::']);

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
}

/** The host names of --public-url values (how users reach this server, e.g. behind a proxy). */
function publicUrlHosts(values: CommandArgs['values'][string]): string[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.map((value) => {
    const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '')
      throw usageError(
        `--public-url ${String(value)} is not an http(s) URL such as https://orgdeck.example.com.`,
      );
    return url.hostname;
  });
}

const usageError = (message: string) => new CliFailure({ code: 'VALIDATION', message }, 2);

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw usageError(`${flag} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * TLS from --tls-cert and --tls-key (both or neither). Off this computer, the console carries
 * passwords and tokens over the network, so a non-loopback host needs TLS, or --insecure-http as
 * an explicit statement that the network itself is trusted.
 */
function tlsFor(values: CommandArgs['values'], host: string): TlsFiles | undefined {
  const cert = str(values['tls-cert']);
  const key = str(values['tls-key']);
  const insecure = values['insecure-http'] === true;
  if ((cert === undefined) !== (key === undefined))
    throw usageError('Give both --tls-cert FILE and --tls-key FILE, or neither.');
  if (cert !== undefined && insecure)
    throw usageError('Choose one: TLS (--tls-cert, --tls-key) or --insecure-http.');
  if (cert === undefined && !insecure && !LOOPBACK.has(host)) {
    throw usageError(
      `--host ${host} makes the console reachable from other computers: serve it over TLS with ` +
        '--tls-cert FILE --tls-key FILE, or pass --insecure-http if this network is trusted.',
    );
  }
  return cert === undefined || key === undefined
    ? undefined
    : { cert: readPem('--tls-cert', cert), key: readPem('--tls-key', key) };
}

export const serveCommand: Command = {
  words: ['serve'],
  usage:
    'serve [--port 4780] [--host 127.0.0.1] [--public-url URL ...] [--tls-cert FILE --tls-key FILE | --insecure-http] [--remote URL]',
  summary:
    'Serve the headless console and the HTTP API (loopback only unless --host says otherwise; another host needs TLS or --insecure-http); it answers only to the loopback names, --host and each --public-url (the name users type); with --remote, a console for that server',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'insecure-http': { type: 'boolean' },
    'public-url': { type: 'string', multiple: true },
  },
  async run({ values }, { backend, local, io, setupCode }) {
    const port = Number(str(values.port) ?? '4780');
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw usageError('--port must be a whole number from 0 to 65535.');
    }
    const host = str(values.host) ?? '127.0.0.1';
    if (!LOOPBACK.has(host) && isIP(host) === 0) {
      throw usageError('--host must be an IP address or localhost.');
    }
    const tls = tlsFor(values, host);
    const hostNames = [host, ...publicUrlHosts(values['public-url'])];
    if (WILDCARD.has(host)) hostNames.push(...interfaceAddresses());
    const logger = local?.logger ?? jsonLogger();
    let server: ReturnType<typeof createHttpServer>;
    try {
      server = createHttpServer({
        // With --remote this is the console's pass-through: the browser's cookie carries the server's token.
        router: backend.router,
        logger,
        staticDir: io.rendererDir,
        version: APP_VERSION,
        tls,
        hostNames,
      });
    } catch (error) {
      // A key that does not match the certificate, or a file that is not PEM.
      throw usageError(
        `The TLS certificate and key do not load: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const url = await listen(server, port, host);
    const stopGuard = keepServingThroughUncaughtErrors(logger);
    // Printed first, for scripts, and only while the store has no owner to set up.
    const current = await backend.router.call('session.current', {}, { token: null, setToken: () => {} });
    if (setupCode && current.ok && (current.data as { setupCodeRequired: boolean }).setupCodeRequired)
      io.out(`First-run setup code: ${setupCode} (the console's setup page asks for it)`);
    io.out(`Orgdeck console listening on ${url}`);
    if (!LOOPBACK.has(host)) {
      io.err(
        tls
          ? `note: ${host} is reachable from other computers on this network.`
          : `warning: ${host} is reachable from other computers, and --insecure-http sends passwords and tokens unencrypted.`,
      );
    }
    await io.untilStopped();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    stopGuard();
  },
};
