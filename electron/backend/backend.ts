import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { contract } from '../../shared/contract';
import { jsonLogger, type Logger } from './logger';
import { orgHandlers } from './router/handlers/org-handlers';
import { sessionHandlers } from './router/handlers/session-handlers';
import { createRouter } from './router/router';
import { createAuthService } from './services/auth-service';
import { createOrgsService } from './services/orgs-service';
import { type Clock, systemClock } from './store/clock';
import { openStore } from './store/store';

export interface BackendOptions {
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
}

export const DATABASE_FILE = 'orgdeck.db';

/** The self-hosted backend: the tenant store in `dataDir` and the router every transport calls. */
export function openBackend({ dataDir, clock = systemClock, logger = jsonLogger() }: BackendOptions) {
  mkdirSync(dataDir, { recursive: true });
  const store = openStore(join(dataDir, DATABASE_FILE));
  const auth = createAuthService(store, clock);
  const orgs = createOrgsService(store, clock);
  const router = createRouter({
    contract,
    groups: [sessionHandlers(auth), orgHandlers(orgs)],
    principalFor: (token) => auth.principalFor(token),
    logger,
  });
  return { router, store, logger, close: () => store.close() };
}

export type Backend = ReturnType<typeof openBackend>;
