import { Module } from '@nestjs/common';
import { WebAppHttpController } from './web-app.http.controller.js';

/** The browser app (web role): index page and runtime config; assets are served by @fastify/static. */
@Module({ controllers: [WebAppHttpController] })
export class WebAppModule {}
