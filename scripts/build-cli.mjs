// Bundles the CLI (and with it the backend and the HTTP console) into one plain-JS file.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/backend/cli/bin.ts'],
  outfile: 'out/cli/orgdeck.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['better-sqlite3'],
  banner: {
    js: "import { createRequire as __orgdeckRequire } from 'node:module'; const require = __orgdeckRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
