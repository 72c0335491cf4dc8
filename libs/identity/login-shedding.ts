import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpAnswer } from '../ops/index.js';
import { PasswordHasher, passwordChecksBusy } from './password-hasher.js';

const LOGIN_PATH = '/api/v1/auth/login';

/**
 * During a login flood, refuses logins before any parsing, routing or validation while the
 * password gate is full: the refusal costs almost nothing, so the flood cannot take the event
 * loop from ingest and the other routes either. (Logins that get in are refused by the gate too.)
 */
export function shedLoginsWhenBusy(app: NestFastifyApplication): void {
  const hasher = app.get(PasswordHasher);
  app
    .getHttpAdapter()
    .getInstance()
    // Callback style: this hook runs on every route, and an async hook costs a promise each time.
    .addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (req.method !== 'POST' || !hasher.saturated || req.url.split('?')[0] !== LOGIN_PATH) return done();
      const { body, headers } = httpAnswer(passwordChecksBusy());
      // Sending without done() ends the request here.
      void reply.status(body.statusCode).headers(headers).send(body);
    });
}
