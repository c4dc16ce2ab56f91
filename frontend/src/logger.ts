import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON object per line on stdout; credentials and cookies never reach a log line. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'frontend' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.cardNumber'],
        remove: true,
      },
    },
    // Asynchronous writes: a log line never blocks the event loop on a slow stdout.
    // pino flushes what is buffered when the process exits.
    pino.destination({ dest: 1, sync: false }),
  );
}
