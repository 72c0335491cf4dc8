import type { AppConfig } from '../../libs/config/index.js';
import type { JsonLogger } from '../../libs/ops/json-logger.js';

/** DEMO=true: a demo tenant and a simulated fleet (built with the simulator). */
export async function startDemo(_config: AppConfig, _url: string, logger: JsonLogger): Promise<void> {
  logger.event('warn', 'DEMO=true: the demo fleet is not available in this build yet');
}
