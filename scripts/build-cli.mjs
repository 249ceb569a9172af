// Bundles the CLI (and with it the backend and the HTTP console) into plain JS, with the usage-import worker beside it.
import { build } from 'esbuild';

await build({
  entryPoints: {
    orgdeck: 'electron/backend/cli/bin.ts',
    'usage-import-worker': 'electron/backend/usage/import-worker.ts',
  },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['better-sqlite3', 'unpdf', 'html-to-text', 'keytar'],
  banner: {
    js: "import { createRequire as __orgdeckRequire } from 'node:module'; const require = __orgdeckRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
