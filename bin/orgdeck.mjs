#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli/orgdeck.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('orgdeck is not built yet: run `npm run build` in the project first.\n');
  process.exit(1);
}
await import(cli);
