import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; nothing secret is ever passed to it, and these paths are redacted anyway. */
export function createLogger(level: string, name = 'backend'): Logger {
  return pino({
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
  });
}
