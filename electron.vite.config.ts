import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
/**
 * The UI kit (Mantine and the icons) in one chunk rather than one per component: a page's first load
 * fetched some thirty files of a few KB each, and a browser's six connections to the server held the
 * page's data requests behind them. Markdown and zod stay with the code that loads them.
 */
const UI_KIT = /node_modules[\\/](@mantine|@tabler|@floating-ui)[\\/]/;
/** The console's own shared pieces (formatting, tables, the API client, domain rules, `lazily`), for the same reason. */
const COMMON = /(renderer[\\/]src[\\/](ui|api)[\\/]|shared[\\/]domain[\\/]|shared[\\/]lazily\.ts)/;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          'usage-import-worker': resolve(root, 'electron/backend/usage/import-worker.ts'),
          'backend-host-worker': resolve(root, 'electron/backend/host/host-worker.ts'),
          'knowledge-extract-worker': resolve(root, 'electron/backend/knowledge/extract-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() anything: bundle it whole, as one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Minified, with each page in its own chunk (React.lazy in CurrentPage): the first screen loads
      // the shell and one page, not every page.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
        output: {
          codeSplitting: {
            groups: [
              // What the shell needs at start, as before: React, the query cache, Mantine's core.
              { name: 'vendor', test: /node_modules/, tags: ['$initial'] },
              { name: 'ui-kit', test: UI_KIT },
              { name: 'common', test: COMMON, minShareCount: 2 },
            ],
          },
        },
      },
    },
  },
});
