import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import { webDistDir } from './web-app-files.js';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dronetrack</title></head>
<body><h1>dronetrack</h1><p>The web app is not built in this checkout (run <code>npm run build</code>).</p>
<p>API: <a href="/api/docs">/api/docs</a> (OpenAPI JSON at <a href="/api/docs-json">/api/docs-json</a>).</p></body></html>`;

@ApiExcludeController()
@Controller()
export class WebAppHttpController {
  private index: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): Promise<string> {
    const dir = webDistDir();
    this.index ??= dir ? readFile(join(dir, 'index.html'), 'utf8') : Promise.resolve(PLACEHOLDER);
    return this.index;
  }

  /** Runtime settings for the browser, so one build serves every deployment. */
  @Get('app-config.json')
  @Header('Cache-Control', 'no-cache')
  appConfig(): { mapTileUrl: string | null; offlineAfterSeconds: number } {
    return { mapTileUrl: this.config.mapTileUrl, offlineAfterSeconds: this.config.offlineAfterSeconds };
  }
}
