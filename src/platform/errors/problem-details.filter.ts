import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { requestContext } from '../logging/request-context.js';
import { DomainException, type ErrorDefinition, type FieldError } from './domain-exception.js';
import { PlatformErrors } from './platform.errors.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  correlationId?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemBody(
  def: ErrorDefinition,
  detail?: string,
  errors?: FieldError[],
  extensions: Record<string, unknown> = {},
  instance?: string,
): ProblemBody {
  return {
    type: `urn:diwan:error:${def.code}`,
    title: def.title,
    status: def.status,
    ...(detail ? { detail } : {}),
    code: def.code,
    ...(errors && errors.length ? { errors } : {}),
    ...extensions,
    ...(instance ? { instance } : {}),
    correlationId: requestContext.correlationId(),
  };
}

const BY_STATUS: Record<number, ErrorDefinition> = {
  400: PlatformErrors.VALIDATION_FAILED,
  401: PlatformErrors.UNAUTHENTICATED,
  403: PlatformErrors.FORBIDDEN,
  404: PlatformErrors.NOT_FOUND,
  405: PlatformErrors.METHOD_NOT_ALLOWED,
  406: PlatformErrors.NOT_ACCEPTABLE,
  409: PlatformErrors.CONFLICT,
  413: PlatformErrors.PAYLOAD_TOO_LARGE,
  415: PlatformErrors.UNSUPPORTED_MEDIA_TYPE,
  429: PlatformErrors.RATE_LIMITED,
  503: PlatformErrors.UNAVAILABLE,
};

interface Mapped {
  def: ErrorDefinition;
  detail?: string;
  errors?: FieldError[];
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Maps anything thrown to a problem; only the unknown becomes a 500, with no internals shown. */
export function mapException(exception: unknown): Mapped | undefined {
  if (exception instanceof DomainException) {
    return {
      def: exception.definition,
      detail: exception.detail,
      errors: exception.errors,
      extensions: exception.extensions,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: unknown }).message ?? exception.message);
    const detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : JSON.stringify(message);
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(detail))
      return { def: PlatformErrors.ROUTE_NOT_FOUND, detail };
    const def =
      BY_STATUS[status] ??
      (status >= 500 ? PlatformErrors.INTERNAL : PlatformErrors.VALIDATION_FAILED);
    return { def, detail: status >= 500 ? undefined : detail };
  }
  if (exception instanceof EntityNotFoundError) return { def: PlatformErrors.NOT_FOUND };
  if (exception instanceof QueryFailedError) {
    const pgCode = (exception.driverError as { code?: string } | undefined)?.code;
    switch (pgCode) {
      case '22P02': // invalid_text_representation (bad uuid, bad integer)
      case '22007': // invalid_datetime_format
      case '22008': // datetime_field_overflow
      case '22003': // numeric_value_out_of_range
      case '22001': // string_data_right_truncation
        return {
          def: PlatformErrors.INVALID_PARAMETER,
          detail: 'A value has the wrong format or is out of range',
        };
      case '23505':
        return { def: PlatformErrors.DUPLICATE };
      case '23503':
        return {
          def: PlatformErrors.CONFLICT,
          detail: 'The record refers to, or is referred to by, another record',
        };
      case '40001':
      case '40P01':
        return { def: PlatformErrors.CONFLICT, detail: 'Concurrent update; retry the request' };
      default:
        return undefined;
    }
  }
  const status =
    (exception as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (exception as { statusCode?: unknown } | null)?.statusCode;
  const type = (exception as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed')
    return { def: PlatformErrors.MALFORMED_JSON, detail: 'The body could not be parsed as JSON' };
  if (type === 'entity.too.large') return { def: PlatformErrors.PAYLOAD_TOO_LARGE };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return { def: PlatformErrors.UNSUPPORTED_MEDIA_TYPE };
  if (typeof status === 'number' && status >= 400 && status < 500)
    return { def: BY_STATUS[status] ?? PlatformErrors.VALIDATION_FAILED };
  return undefined;
}

export function sendProblem(
  res: Response,
  req: Request | undefined,
  exception: unknown,
  logger?: Logger,
): void {
  const mapped = mapException(exception);
  if (!mapped) logger?.error({ err: exception, path: req?.path }, 'unhandled error');
  const { def, detail, errors, extensions, headers } = mapped ?? { def: PlatformErrors.INTERNAL };
  if (res.headersSent) return;
  const body = problemBody(def, detail, errors, extensions, req?.originalUrl?.split('?')[0]);
  for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
  res.status(def.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    sendProblem(ctx.getResponse<Response>(), ctx.getRequest<Request>(), exception, this.logger);
  }
}

export { HttpStatus };
