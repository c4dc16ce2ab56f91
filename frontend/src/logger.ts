import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON object per line on stdout; credentials and cookies never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'frontend' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.cardNumber'],
      remove: true,
    },
  });
}
