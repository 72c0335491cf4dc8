/**
 * Every MongoDB-wire test server of this run, and the one way suites iterate over them.
 *
 * The MongoDB adapters must rely only on what MongoDB itself does, so each MongoDB-backed suite
 * runs once per server, with the server's name in the describe title:
 *
 *   describeEachMongoServer('Mongo store', (server) => {
 *     const url = mongoDatabaseUrl(server.url, uniqueName('store'));
 *     it('…', async () => { … });
 *   });
 *
 * Pass `{ requires: [testRedisUrl] }` when the suite needs other servers too. The titles end in
 * "[mongo: <name>]", which scripts/test-summary.mjs counts per server.
 *
 * Global setup starts the servers and publishes them as TEST_MONGO_URLS ("Name=url,Name=url").
 * To use servers of your own instead: TEST_MONGO_URLS, or TEST_FERRETDB_URL / TEST_SECANTUS_URL
 * (only the missing ones are started), or TEST_MONGO_URL (one external server, e.g. a real mongod).
 * Plain Jest-worker code; no imports from global setup, so any suite can use it.
 */

export interface MongoTestServer {
  /** Short name, shown in test titles: "FerretDB", "SecantusDB", … */
  name: string;
  /** mongodb:// URL of the server (no database; use mongoDatabaseUrl for one). */
  url: string;
}

/** Parses "Name=url,Name=url" (URLs contain no comma: one host each). */
export function parseMongoServers(value: string | undefined): MongoTestServer[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0 || !/^mongodb(\+srv)?:\/\//.test(entry.slice(eq + 1))) {
        throw new Error(`TEST_MONGO_URLS: expected "Name=mongodb://host:port/", got "${entry}"`);
      }
      return { name: entry.slice(0, eq), url: entry.slice(eq + 1) };
    });
}

export function formatMongoServers(servers: MongoTestServer[]): string {
  return servers.map((s) => `${s.name}=${s.url}`).join(',');
}

/** The servers global setup started (or the environment named); empty when none is installed. */
export const mongoTestServers: MongoTestServer[] = parseMongoServers(process.env.TEST_MONGO_URLS);

/** Stand-in for the title of suites that skip because no server is available. */
const NONE: MongoTestServer = { name: 'none available', url: 'mongodb://unavailable.invalid:1/' };

/**
 * One `describe` per MongoDB-wire test server, titled "<title> [mongo: <name>]". When no server
 * (or one of `requires`) is available, the suite is declared once with describe.skip so its tests
 * show as skipped; global setup already said why, loudly (or failed, in CI).
 */
export function describeEachMongoServer(
  title: string,
  body: (server: MongoTestServer) => void,
  options: { requires?: (string | null | undefined)[] } = {},
): void {
  const ready = mongoTestServers.length > 0 && (options.requires ?? []).every(Boolean);
  if (!ready) {
    describe.skip(`${title} [mongo: ${NONE.name}]`, () => body(NONE));
    return;
  }
  for (const server of mongoTestServers) describe(`${title} [mongo: ${server.name}]`, () => body(server));
}
