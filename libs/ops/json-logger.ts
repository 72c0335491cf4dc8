import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/index.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured logs: one JSON object per line on stdout, so log shippers need no parsing rules.
 * Implements Nest's LoggerService, so framework messages come out the same way.
 */
export class JsonLogger implements LoggerService {
  private readonly min: number;

  constructor(
    level: LogLevel = 'info',
    private readonly base: Record<string, unknown> = {},
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.min = LEVELS[level];
  }

  child(fields: Record<string, unknown>): JsonLogger {
    const level = (Object.keys(LEVELS) as LogLevel[]).find((l) => LEVELS[l] === this.min) ?? 'info';
    return new JsonLogger(level, { ...this.base, ...fields }, this.write);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  /** Logs with structured fields: `logger.event('info', 'job failed', { jobId })`. */
  event(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < this.min) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, ...this.base, msg, ...fields }));
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.min) return;
    // Nest passes the context (a class name) last, and for errors a stack before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (message instanceof Error) {
      fields.err = { name: message.name, message: message.message, stack: message.stack };
      message = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      message = (message as { msg?: unknown }).msg ?? '';
    }
    for (const extra of rest) {
      if (typeof extra === 'string' && extra.includes('\n')) fields.stack = extra;
      else if (extra instanceof Error) fields.err = { name: extra.name, message: extra.message, stack: extra.stack };
    }
    this.event(level, String(message), fields);
  }
}

export const APP_LOGGER = Symbol('AppLogger');
