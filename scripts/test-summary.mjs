// Prints Jest's totals as one plain closing line ("tests: N passed, N failed, N skipped").
import { existsSync, readFileSync } from 'node:fs';
const file = process.argv[2] ?? 'artifacts/jest-results.json';
if (!existsSync(file)) process.exit(0);
const r = JSON.parse(readFileSync(file, 'utf8'));
process.stdout.write(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped\n`);
