export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

let stderrClosed = false;
let watchingStderr = false;

/**
 * Writes a line on stderr until it is closed (the terminal or the supervisor's pipe went away:
 * EPIPE), then drops lines. Unheard, a failed write was an uncaught error, which `serve` logs and
 * keeps serving through: a log line, failing again, one after another, holding a core forever.
 */
function writeStderr(line: string): void {
  if (!watchingStderr) {
    watchingStderr = true;
    process.stderr.on('error', () => {
      stderrClosed = true;
    });
  }
  if (!stderrClosed) process.stderr.write(line);
}

/** One JSON object per line on stderr. Callers pass fields, never request bodies, so secrets stay out. */
export function jsonLogger(write: (line: string) => void = writeStderr): Logger {
  const log =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  return { info: log('info'), error: log('error') };
}

export const silentLogger: Logger = { info: () => {}, error: () => {} };

/**
 * A one-off command's log: its errors only, as JSON lines on `write` (the command's stderr). An
 * INTERNAL answer tells the user its cause "has been logged": for a command, this is where.
 */
export const errorsOnlyLogger = (write: (line: string) => void): Logger => ({
  info: () => {},
  error: jsonLogger(write).error,
});
