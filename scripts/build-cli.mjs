// Bundles the CLI (and with it the backend and the HTTP console) into plain JS, with the usage-import and
// backend-host, knowledge-extraction and PostgreSQL-bridge workers beside it.
// An argument names another output folder (the crash tests build their own copy).
import { build } from 'esbuild';

await build({
  entryPoints: {
    orgdeck: 'electron/backend/cli/bin.ts',
    'usage-import-worker': 'electron/backend/usage/import-worker.ts',
    'backend-host-worker': 'electron/backend/host/host-worker.ts',
    'knowledge-extract-worker': 'electron/backend/knowledge/extract-worker.ts',
    'pg-bridge-worker': 'electron/backend/store/postgres/pg-bridge-worker.ts',
  },
  outdir: process.argv[2] ?? 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // pdfkit reads its font metrics from files beside its own code: it stays a package, not bundled.
  external: ['better-sqlite3', 'unpdf', 'html-to-text', 'keytar', 'pdfkit'],
  banner: {
    js: "import { createRequire as __orgdeckRequire } from 'node:module'; const require = __orgdeckRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
