import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { requestContext } from './request-context.js';

/**
 * JSON logs (pino), each line with the correlation id of the request or job it belongs to.
 * Secrets never reach a line: credentials, cookies, passwords, codes and CPR numbers are
 * redacted by path; where a CPR must be mentioned, eKey's `maskCpr` shows its last 3 digits.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.code',
  '*.otp',
  '*.secret',
  '*.apiKey',
  '*.cpr',
  '*.token',
];

export function createRootLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'diwan' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin() {
        const id = requestContext.correlationId();
        return id ? { correlationId: id } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    // stdout through an asynchronous buffered writer: a synchronous write per request line
    // costs more than the request itself on a busy API. Flushed on shutdown.
    (destination ?? pino.destination({ dest: 1, sync: false })) as never,
  );
}

/** Nest's LoggerService on top of pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error(
      { context, trace },
      message instanceof Error ? message.message : String(message),
    );
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
