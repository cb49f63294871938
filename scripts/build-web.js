// Bundles the dry-run report's page (web/report/) into dist/web/report.js and dist/web/report.css, which
// src/report/html/write.ts inlines into every HTML report. Runs after tsc in `npm run build`, so a clean clone
// (`npm ci` -> prepare -> build) has them. The page is never bundled at run time: the CLI only reads these files.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'web');

// The report is opened from disk or as an email attachment, in whatever browser the reader has: a classic
// script (IIFE, not a module: modules from file:// are refused by some browsers) for the last few years' engines.
const common = {
  bundle: true,
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  write: false,
  logLevel: 'silent',
};

/** Writes through a temp file and a rename, so a reader never sees half a bundle. */
function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function bundle(entry, extra) {
  const result = await build({ ...common, ...extra, entryPoints: [path.join(ROOT, entry)] });
  const [out] = result.outputFiles;
  if (!out) throw new Error(`esbuild gave no output for ${entry}`);
  return out.text;
}

try {
  const [js, css] = await Promise.all([
    bundle('web/report/main.ts', { format: 'iife', platform: 'browser' }),
    bundle('web/report/report.css', { loader: { '.css': 'css' } }),
  ]);
  mkdirSync(OUT, { recursive: true });
  writeAtomically(path.join(OUT, 'report.js'), js);
  writeAtomically(path.join(OUT, 'report.css'), css);
} catch (err) {
  // esbuild's errors carry file:line:column already; a stack trace would only hide them.
  const messages = err && Array.isArray(err.errors) && err.errors.length > 0
    ? err.errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`)
    : [String(err && err.message ? err.message : err)];
  process.stderr.write(`build-web: could not bundle the report page\n${messages.join('\n')}\n`);
  process.exitCode = 1;
}
