// backup-app-settings + upload-app-settings of fixtures/example-app against `cht serve`: chtkit vs cht-conf
// 6.6.1, whole process, alternating runs. Each tool has its own server (so chtkit's drift record only ever
// sees its own uploads), and before every run the project's settings change, so every upload is a real PUT.
// A second pair times the no-change case (chtkit skips the PUT; cht-conf PUTs and is told "no changes"), a
// third the time to an error when the instance is down.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fmtRow, pair, ROOT } from './lib/measure.js';

const BIN = path.join(ROOT, 'bin', 'cht.js');
const CHT_CONF = path.join(ROOT, 'node_modules', 'cht-conf', 'src', 'bin', 'index.js');

function startServe(dataDir) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port=0', `--data=${dataDir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ url: out.split('\n')[0].trim(), stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`cht serve exited (${code})`)));
  });
}

/** A port nothing listens on: bind port 0, note the port, close. */
function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function deployBench() {
  const work = path.join(ROOT, '.bench-work', 'deploy');
  rmSync(work, { recursive: true, force: true });
  const copies = { a: path.join(work, 'chtkit', 'example-app'), b: path.join(work, 'cht-conf', 'example-app') };
  const base = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'example-app', 'app_settings.json'), 'utf8'));
  for (const dir of Object.values(copies)) {
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(path.join(ROOT, 'fixtures', 'example-app'), dir, { recursive: true, filter: (s) => !/[\\/](backups|\.cht-local)$/.test(s) });
  }
  const servers = { a: await startServe(path.join(work, 'data-a')), b: await startServe(path.join(work, 'data-b')) };
  const url = (side) => `--url=${servers[side].url.replace('://', '://admin:pass@')}`;
  let run = 0;
  const change = async (side) => {
    run++;
    writeFileSync(path.join(copies[side], 'app_settings.json'), `${JSON.stringify({ ...base, locale_outgoing: `run-${run}` }, null, 2)}\n`);
  };
  const commands = {
    a: { args: [BIN, `--source=${copies.a}`, url('a'), 'backup-app-settings', 'upload-app-settings'] },
    b: { args: [CHT_CONF, '--skip-dependency-check', '--skip-version-check', url('b'), 'backup-app-settings', 'upload-app-settings'], cwd: copies.b },
  };
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  try {
    const changed = await pair({ ...commands, runs, prepare: change });
    console.log(fmtRow('chtkit deploy (changed)', changed.a));
    console.log(fmtRow('cht-conf 6.6.1 deploy (changed)', changed.b));
    console.log(`ratio (cht-conf / chtkit, median of pairs): ${changed.ratio.toFixed(1)}×`);
    const same = await pair({ ...commands, runs });
    console.log(fmtRow('chtkit deploy (no change)', same.a));
    console.log(fmtRow('cht-conf 6.6.1 deploy (no change)', same.b));
    console.log(`ratio (cht-conf / chtkit, median of pairs): ${same.ratio.toFixed(1)}×`);
    // Time to a failure: nothing listens on the port (an instance that is down). cht-conf retries every
    // failure 5 times (~13 s); chtkit retries network errors 3 times (3.5 s). 3 runs, no warm-up: it is slow.
    const down = `--url=http://admin:pass@127.0.0.1:${await freePort()}`;
    const failing = await pair({
      a: { args: [BIN, `--source=${copies.a}`, down, 'backup-app-settings', 'upload-app-settings'], allowFailure: true },
      b: { args: [CHT_CONF, '--skip-dependency-check', '--skip-version-check', down, 'backup-app-settings', 'upload-app-settings'], cwd: copies.b, allowFailure: true },
      runs: Math.min(runs, 3),
      warmup: 0,
    });
    console.log(fmtRow('chtkit, instance down (exit 2)', failing.a));
    console.log(fmtRow('cht-conf 6.6.1, instance down (exit 1)', failing.b));
    console.log(`ratio (cht-conf / chtkit, median of pairs): ${failing.ratio.toFixed(1)}×`);
    return { changed, same, failing };
  } finally {
    servers.a.stop();
    servers.b.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
