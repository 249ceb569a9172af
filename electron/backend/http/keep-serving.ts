import type { Logger } from '../logger';

/**
 * While a server runs, an error nothing caught (a callback that throws after its request was
 * answered, a stream with no error listener) is logged once and the server keeps answering: on a
 * team server, one request must not cut every user off. Returns the function that stops this.
 */
export function keepServingThroughUncaughtErrors(
  logger: Logger,
  proc: NodeJS.EventEmitter = process,
): () => void {
  const log = (kind: string) => (error: unknown) =>
    logger.error(kind, { error: error instanceof Error ? error.message : String(error) });
  const onException = log('uncaught exception');
  const onRejection = log('unhandled rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
