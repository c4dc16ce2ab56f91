import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; nothing secret is ever passed to it, and these paths are redacted anyway. */
export function createLogger(level: string, name = 'backend'): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'cardNumber',
          '*.cardNumber',
          'authorization',
        ],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes: a log line never blocks the event loop on a slow stdout.
    // pino flushes what is buffered when the process exits.
    pino.destination({ dest: 1, sync: false }),
  );
}
