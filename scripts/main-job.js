#!/usr/bin/env node
// `npm start`: the whole pipeline on fixtures/example-app, end to end, with the real CLI (dist/):
//   1. start `cht serve` (an embedded CHT instance) on a free port, its data in fixtures/example-app/.cht-local
//      (git-ignored, kept between runs: the second run finds the settings of the first);
//   2. one `cht` run: validate-app-settings, compile-app-settings, backup-app-settings, upload-app-settings
//      (which prints the diff), then dry-run-tasks for one day of the project's harness.defaults.json fixtures;
//   3. stop the server, exit with the pipeline's exit code.
// Against a real instance the same pipeline is one command; see the README ("The main job").
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'cht.js');
const PROJECT = path.join('fixtures', 'example-app');
const DATA = path.join(PROJECT, '.cht-local');
// The port of the previous run, tried first: the project's drift record is per instance URL, so a stable
// port lets the second run check for drift too. Any free port when it is taken.
const PORT_FILE = path.join(ROOT, DATA, 'main-job.port');

// The example's fixtures describe a CHW's caseload in Nairobi in 2023–24: the summary is of a day in it.
const DRY_RUN_DAY = ['--date=2024-09-10', '--tz=Africa/Nairobi'];

/** Starts `cht serve`; resolves its URL (the first line it prints) and a stop function. */
function startServer(port) {
  const child = spawn(process.execPath, [BIN, `--source=${PROJECT}`, 'serve', `--port=${port}`, `--data=${DATA}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        resolve({
          url: out.split('\n')[0].trim(),
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`cht serve exited (${code}) before it was ready:\n${err}`)));
  });
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function startOnFreePort() {
  const previous = existsSync(PORT_FILE) ? Number(readFileSync(PORT_FILE, 'utf8')) : 0;
  let server;
  try {
    server = await startServer(Number.isInteger(previous) && previous > 0 ? previous : 0);
  } catch {
    server = await startServer(0);
  }
  writeFileSync(PORT_FILE, `${new URL(server.url).port}\n`);
  return server;
}

const server = await startOnFreePort();
process.stderr.write(`main job: cht serve is up at ${server.url} (data in ${DATA})\n`);
let code;
try {
  const url = server.url.replace('://', '://admin:pass@');
  const actions = ['validate-app-settings', 'compile-app-settings', 'backup-app-settings', 'upload-app-settings', 'dry-run-tasks'];
  const flags = [`--source=${PROJECT}`, `--url=${url}`, ...DRY_RUN_DAY];
  process.stderr.write(`main job: cht ${flags.map((f) => f.replace(/:\/\/[^@/]*@/, '://admin:****@')).join(' ')} ${actions.join(' ')}\n`);
  code = await run([...flags, ...actions]);
} finally {
  await server.stop();
  process.stderr.write('main job: cht serve stopped\n');
}
process.stderr.write(`main job: ${code === 0 ? 'done' : `failed (exit ${code})`}\n`);
process.exitCode = code;
