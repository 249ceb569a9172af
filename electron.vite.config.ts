import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
/**
 * The UI kit (Mantine and the icons) in one chunk rather than one per component: a page's first load
 * fetched some thirty files of a few KB each, and a browser's six connections to the server held the
 * page's data requests behind them. Markdown and zod stay with the code that loads them.
 */
const UI_KIT = /node_modules[\\/](@mantine|@tabler|@floating-ui)[\\/]/;
/** The console's own code, and Vite's helper that loads a chunk with its dependencies. */
const START = /((renderer[\\/]src|shared)[\\/])|vite[\\/]preload-helper/;
/** The console's own shared pieces (formatting, tables, the API client, domain rules), for the same reason. */
const COMMON = /(renderer[\\/]src[\\/](ui|api)|shared[\\/]domain)[\\/]/;

/**
 * Asks, from index.html, for the console's UI code: the chunk main.tsx imports once the first data
 * requests are sent, and every chunk it imports. It then downloads and compiles while start-up runs,
 * instead of being asked for only when start-up is done.
 */
function preloadConsoleCode(): Plugin {
  return {
    name: 'orgdeck:preload-console-code',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return;
        const chunks = new Map(
          Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item]] : [])),
        );
        const mount = [...chunks.values()].find((chunk) =>
          chunk.facadeModuleId?.endsWith('mount-console.tsx'),
        );
        if (!mount) throw new Error('No chunk holds app/mount-console.tsx: main.tsx imports it.');
        const wanted = new Set<string>();
        const add = (fileName: string) => {
          // The page's own scripts are asked for already.
          if (html.includes(fileName) || wanted.has(fileName)) return;
          wanted.add(fileName);
          for (const imported of chunks.get(fileName)?.imports ?? []) add(imported);
        };
        add(mount.fileName);
        return [...wanted].map((fileName) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${fileName}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

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
    plugins: [react(), preloadConsoleCode()],
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
              // What start-up needs to ask for data: React and the query cache (the rest loads after).
              { name: 'vendor', test: /node_modules/, tags: ['$initial'] },
              { name: 'ui-kit', test: UI_KIT },
              // The console's own code that start-up runs to ask for data (routes, queries, the API
              // client), apart from the shared pieces that draw: those import the UI kit, which loads after.
              { name: 'start', test: START, tags: ['$initial'] },
              { name: 'common', test: COMMON, minShareCount: 2 },
            ],
          },
        },
      },
    },
  },
});
