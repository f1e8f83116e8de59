import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { mapException } from '../../../platform/errors/problem-details.filter.js';
import { PlatformErrors } from '../../../platform/errors/platform.errors.js';
import { NOTIFY_ERROR_NAMES } from '../errors/notify.errors.js';

export interface NotifyErrorBody {
  status_code: number;
  errors: { error: string; message: string }[];
}

/** Renders errors on `/v2` in GOV.UK Notify's shape, so existing clients read them unchanged. */
export function notifyErrorBody(exception: unknown): NotifyErrorBody {
  const mapped = mapException(exception) ?? { def: PlatformErrors.INTERNAL };
  const error =
    NOTIFY_ERROR_NAMES[mapped.def.code] ??
    (mapped.def.status >= 500 ? 'Exception' : 'BadRequestError');
  const messages = mapped.errors?.length
    ? mapped.errors.map((f) => `${f.field} ${f.message}`)
    : mapped.def.code === PlatformErrors.MALFORMED_JSON.code
      ? ['Invalid JSON supplied in POST data'] // Notify's words
      : [mapped.detail ?? mapped.def.title];
  return {
    status_code: mapped.def.status,
    errors: messages.map((message) => ({ error, message })),
  };
}

/** Answers with Notify's error body (with the error's headers, e.g. `Retry-After`). */
export function sendNotifyError(res: Response, exception: unknown, logger?: Logger): void {
  const body = notifyErrorBody(exception);
  if (body.status_code >= 500)
    logger?.error({ err: exception }, 'unhandled error on the Notify API');
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(mapException(exception)?.headers ?? {})) res.setHeader(k, v);
  res.status(body.status_code).json(body);
}

@Catch()
export class NotifyExceptionFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}
  catch(exception: unknown, host: ArgumentsHost): void {
    sendNotifyError(host.switchToHttp().getResponse<Response>(), exception, this.logger);
  }
}
