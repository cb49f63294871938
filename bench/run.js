// `npm run bench`: runs every bench/*.bench.js in name order, each printing its figures.
// Benchmarks time whole processes side by side (chtkit vs cht-conf / the harness) in one run; nothing here
// asserts a time.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/measure.js';

const only = process.argv.slice(2);
const files = readdirSync(path.join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
console.log(`chtkit benchmarks — Node ${process.version}, ${process.platform} ${process.arch}, ${new Date().toISOString()}`);
for (const file of files) {
  console.log(`\n== ${file.replace('.bench.js', '')} ==`);
  const mod = await import(pathToFileURL(path.join(ROOT, 'bench', file)).href);
  await mod.default();
}
