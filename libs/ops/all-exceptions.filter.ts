import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError } from '../core/index.js';
import { errorBody, fastifyErrorBody, httpAnswer, type ErrorBody } from './http-errors.js';
import type { JsonLogger } from './json-logger.js';

/**
 * Every error leaves in the contract's shape. Unknown errors become a bare 500 and are logged
 * with their stack here, never sent to the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, headers } = this.toBody(exception);
    if (reply.sent || reply.raw.headersSent) return;
    void reply.status(body.statusCode).headers(headers).send(body);
  }

  toBody(exception: unknown): { body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof AppError) {
      if (exception.code === 'unavailable') this.logger.event('error', exception.message, { err: errorFields(exception) });
      return httpAnswer(exception);
    }
    if (exception instanceof HttpException) {
      // Fastify's own errors (parsing, limits) arrive wrapped; answer them in our words.
      const fastify = exception.cause ? fastifyErrorBody(exception.cause as { code?: string }) : null;
      if (fastify) return { body: fastify, headers: {} };
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? (response as { message: string | string[] }).message
          : exception.message;
      return { body: errorBody(status, message), headers: {} };
    }
    const fastify = fastifyErrorBody(exception as { code?: string; statusCode?: number });
    if (fastify) return { body: fastify, headers: {} };
    this.logger.event('error', 'unhandled error', { err: errorFields(exception) });
    return { body: errorBody(500, 'internal error; it has been logged'), headers: {} };
  }
}

function errorFields(e: unknown): Record<string, unknown> {
  return e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { value: String(e) };
}
