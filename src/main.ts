import { ConfigError, loadConfig } from '../libs/config/index.js';
import { JsonLogger } from '../libs/ops/index.js';
import { createApp } from './bootstrap.js';
import { trimAfterStartup } from './heap-trim.js';
import { startDemo } from '../tools/demo/demo.js';

/** Process entry: validate config, build the roles' app, listen, and stop gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`dronetrack: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel, {
    service: 'dronetrack',
    roles: [...config.roles].join(','),
    ...(config.region ? { region: config.region } : {}),
  });
  const handle = await createApp(config, logger);
  await handle.app.listen(config.port, config.host);
  trimAfterStartup();
  const { port } = handle.app.getHttpServer().address() as { port: number };
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.event('info', 'dronetrack listening', {
    url,
    roles: [...config.roles],
    store: config.mongoUrl ? 'mongodb' : `embedded (${config.dataDir})`,
    queue: config.redisUrl ? 'bull (redis)' : 'embedded',
  });
  if (config.adminTokenGenerated) {
    // Printed once, on stderr, so it is not collected with the structured logs.
    process.stderr.write(`\nADMIN_TOKEN was not set; generated for this run: ${config.adminToken}\n\n`);
  }
  const demo = config.demo ? await startDemo(config, url, logger) : null;

  let signalled = false;
  const stop = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.event('info', 'shutting down', { signal, graceSeconds: config.shutdownGraceSeconds });
    const timer = setTimeout(() => {
      logger.event('error', 'shutdown took longer than the grace period; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    timer.unref();
    try {
      await demo?.stop(); // lets the simulated fleet flush while ingest still accepts
      await handle.shutdown();
      logger.event('info', 'shutdown complete');
      process.exit(0);
    } catch (err) {
      logger.event('error', 'shutdown failed', { err: String(err) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`dronetrack failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
