import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import type { ErrorBody, ErrorDetail } from '@frontdesk/contracts';
import { RecordNotFoundError } from '@frontdesk/db';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Postgres error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** Turns every error into the contract's error shape; bad input is never a 500. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof ZodValidationException) {
    const details = zodDetails(exception.getZodError() as ZodError);
    return {
      statusCode: 400,
      error: 'Bad Request',
      message: details.map((d) => `${d.path}: ${d.message}`).join('; '),
      details,
    };
  }
  if (exception instanceof RecordNotFoundError) {
    return { statusCode: 404, error: 'Not Found', message: exception.message };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    if (typeof res === 'object' && res !== null) {
      const r = res as Record<string, unknown>;
      let message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
      // A malformed JSON body as a 400 carrying a parser's own words.
      if (status === 400 && !r.details && (exception.cause instanceof SyntaxError || /JSON/.test(message))) {
        message = 'request body is not valid JSON';
        return { statusCode: 400, error: 'Bad Request', message, details: [{ path: '(body)', message }] };
      }
      // Bad input always names where it is (CONTRACT.md); a framework's own 400s (e.g. a path segment that is not UTF-8) name none.
      const details = (status === 400 || status === 422) && !Array.isArray(r.details) ? { details: [{ path: /decode param/i.test(message) ? '(path)' : '(request)', message }] } : {};
      return { ...(r as object), statusCode: status, error: typeof r.error === 'string' ? r.error : (STATUS_TEXT[status] ?? 'Error'), message, ...details };
    }
    // Fastify's own refusals (a body past BODY_LIMIT, a URL that is not valid UTF-8) arrive as a status and a sentence.
    if (status === 413) {
      const message = 'request body is too large';
      return { statusCode: 413, error: STATUS_TEXT[413], message, details: [{ path: '(body)', message }] };
    }
    if (status === 400 || status === 415) {
      const message = String(res);
      return { statusCode: status, error: STATUS_TEXT[status], message, details: [{ path: /url/i.test(message) ? '(path)' : '(request)', message }] };
    }
    return { statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message: String(res) };
  }
  const err = exception as { code?: string; message?: string };
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
    // 22021/22P05: a NUL character or a broken escape reached text or jsonb (the input parser stops the known paths: common/http-input.ts).
    if (code === '22P02' || code === '22007' || code === '22008' || code === '22003' || code === '22021' || code === '22P05') {
      return { statusCode: 400, error: 'Bad Request', message: 'a value has the wrong format', details: [{ path: '(input)', message: 'a value has the wrong format' }] };
    }
  }
  if (err?.code && UNAVAILABLE_CODES.has(err.code) || /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(err?.message ?? '')) {
    return { statusCode: 503, error: 'Service Unavailable', message: 'the database is not reachable; try again in a moment' };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'an unexpected error occurred' };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      // The request's id, as on its "request errored" line (registerRequestLog).
      const req = host.switchToHttp().getRequest<FastifyRequest>();
      this.logger.error({ reqId: req.id, msg: exception instanceof Error ? exception.stack : String(exception) });
    }
    const res = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === 503) {
      res.header('Retry-After', '5');
    }
    res.code(body.statusCode).send(body);
  }
}
