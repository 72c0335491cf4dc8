import { EmbeddedIdentityRepository, type EmbeddedStoreOptions } from './embedded.identity.repository.js';
import { EmbeddedTelemetryRepository } from './embedded.telemetry.repository.js';

export interface EmbeddedStore {
  identity: EmbeddedIdentityRepository;
  telemetry: EmbeddedTelemetryRepository;
}

/**
 * The store with no server: `<dataDir>/identity.log` and `<dataDir>/telemetry.log`.
 * One process per data directory (the logs are not locked).
 */
export async function openEmbeddedStore(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const identity = await EmbeddedIdentityRepository.open(dataDir, options);
  const telemetry = await EmbeddedTelemetryRepository.open(dataDir, options).catch(async (err: unknown) => {
    await identity.close();
    throw err;
  });
  return { identity, telemetry };
}
