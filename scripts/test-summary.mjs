// Prints what ran on each MongoDB-wire test server, then Jest's totals as one plain closing line
// ("tests: N passed, N failed, N skipped"). Suites declared with describeEachMongoServer
// (test/support/mongo-servers.ts) carry "[mongo: <server>]" in their titles; that is what is counted.
// In CI (CI=true or DRONETRACK_REQUIRE_SERVICES=1) it exits 1 when any test was skipped, or when
// the MongoDB suites did not run the same tests on every server: CI proves everything, or fails.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'artifacts/jest-results.json';
if (!existsSync(file)) {
  process.stdout.write(`\ntests: no results (${file} is missing: Jest did not finish)\n`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const ci = process.env.CI === 'true' || process.env.DRONETRACK_REQUIRE_SERVICES === '1';
const problems = [];

/** server → { passed, failed, skipped, titles: Set of the test titles without the server tag } */
const perServer = new Map();
for (const suite of r.testResults ?? []) {
  for (const t of suite.assertionResults ?? []) {
    const tagged = t.ancestorTitles.find((a) => /\[mongo: [^\]]+\]$/.test(a));
    if (!tagged) continue;
    const server = tagged.match(/\[mongo: ([^\]]+)\]$/)[1];
    const counts = perServer.get(server) ?? { passed: 0, failed: 0, skipped: 0, titles: new Set() };
    if (t.status === 'passed') counts.passed++;
    else if (t.status === 'failed') counts.failed++;
    else counts.skipped++;
    counts.titles.add(t.fullName.replace(/ \[mongo: [^\]]+\]/g, ''));
    perServer.set(server, counts);
  }
}

if (perServer.size > 0) {
  process.stdout.write('\nMongoDB suites per server:\n');
  for (const [server, c] of perServer) {
    process.stdout.write(`  ${server.padEnd(16)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  }
  const sets = [...perServer.values()].map((c) => [...c.titles].sort().join('\n'));
  if (sets.some((s) => s !== sets[0])) problems.push('the MongoDB suites did not run the same tests on every server');
  if (perServer.has('none available')) problems.push('no MongoDB-wire test server was available');
}
const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
if (ci && skipped > 0) problems.push(`${skipped} test(s) skipped; CI runs everything`);
for (const p of problems) process.stdout.write(`${ci ? 'FAILED' : 'note'}: ${p}\n`);
process.stdout.write(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
process.exit(ci && problems.length > 0 ? 1 : 0);
