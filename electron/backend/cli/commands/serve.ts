import { isIP } from 'node:net';
import { createHttpServer, listen } from '../../http/server';
import { jsonLogger } from '../../logger';
import { APP_VERSION } from '../../version';
import { CliFailure } from '../cli-context';
import { type Command, str } from '../command';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serveCommand: Command = {
  words: ['serve'],
  usage: 'serve [--port 4780] [--host 127.0.0.1] [--remote URL]',
  summary:
    'Serve the headless console and the HTTP API (loopback only unless --host says otherwise); with --remote, a console for that server',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }, { backend, local, io }) {
    const port = Number(str(values.port) ?? '4780');
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new CliFailure(
        { code: 'VALIDATION', message: '--port must be a whole number from 0 to 65535.' },
        2,
      );
    }
    const host = str(values.host) ?? '127.0.0.1';
    if (!LOOPBACK.has(host) && isIP(host) === 0) {
      throw new CliFailure({ code: 'VALIDATION', message: '--host must be an IP address or localhost.' }, 2);
    }
    const server = createHttpServer({
      // With --remote this is the console's pass-through: the browser's cookie carries the server's token.
      router: backend.router,
      logger: local?.logger ?? jsonLogger(),
      staticDir: io.rendererDir,
      version: APP_VERSION,
    });
    const url = await listen(server, port, host);
    io.out(`Orgdeck console listening on ${url}`);
    if (!LOOPBACK.has(host)) io.err(`warning: ${host} is reachable from other computers on this network.`);
    await io.untilStopped();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  },
};
