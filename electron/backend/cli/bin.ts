import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readStdin,
  ask: process.stdin.isTTY && process.stderr.isTTY ? ask : undefined,
  untilStopped,
  // Bundled to out/cli/orgdeck.mjs, next to out/renderer.
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  importWorker: new URL('./usage-import-worker.mjs', import.meta.url),
  hostWorker: new URL('./backend-host-worker.mjs', import.meta.url),
  extractWorker: new URL('./knowledge-extract-worker.mjs', import.meta.url),
});
