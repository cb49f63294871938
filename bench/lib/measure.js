// Whole-process timing for benchmarks: wall time with hrtime, peak RSS from a preloaded probe.
// Commands are Node processes run with spawn (no shell); pairs run alternately (A B A B ...) so that a
// drift in machine speed affects both sides alike, and the ratio is taken pair by pair.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = path.join(ROOT, 'bench', 'lib', 'rss-probe.cjs');

/**
 * Runs one command once; resolves {ms, rssKB, code, stdout, stderr}. `stdout`: a file the command's output
 * goes to (e.g. /dev/null, as a user redirects it), instead of a pipe read by this process.
 */
export function runOnce({ args, cwd = ROOT, env = {}, stdout: stdoutFile }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-bench-'));
  const rssFile = path.join(dir, 'rss');
  const outFd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        ...env,
        CHTKIT_BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim(),
      },
      stdio: ['ignore', outFd ?? 'pipe', 'pipe'],
    });
    if (outFd !== undefined) closeSync(outFd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKB;
      try {
        rssKB = Math.max(0, ...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number).filter(Number.isFinite));
      } catch {
        rssKB = NaN;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, rssKB, code, stdout, stderr });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times `a` against `b`, alternately, `runs` counted runs after `warmup` runs of each.
 * `prepare(side)` runs before every run (e.g. to reset a project copy) and is not timed.
 */
export async function pair({ a, b, runs = 5, warmup = 1, prepare = async () => undefined }) {
  const res = { a: [], b: [], ratios: [] };
  for (let i = 0; i < warmup + runs; i++) {
    await prepare('a');
    const ra = await runOnce(a);
    await prepare('b');
    const rb = await runOnce(b);
    for (const [r, cmd] of [[ra, a], [rb, b]]) {
      if (r.code !== 0 && !cmd.allowFailure) {
        throw new Error(`benchmark command failed (${r.code}): ${cmd.args.join(' ')}\n${r.stderr}\n${r.stdout}`);
      }
    }
    if (i >= warmup) {
      res.a.push(ra);
      res.b.push(rb);
      res.ratios.push(rb.ms / ra.ms);
    }
  }
  return summarize(res);
}

/** Times one command `runs` times after `warmup`. */
export async function single({ cmd, runs = 5, warmup = 1, prepare = async () => undefined }) {
  const results = [];
  for (let i = 0; i < warmup + runs; i++) {
    await prepare();
    const r = await runOnce(cmd);
    if (r.code !== 0 && !cmd.allowFailure) throw new Error(`benchmark command failed (${r.code}): ${cmd.args.join(' ')}\n${r.stderr}`);
    if (i >= warmup) results.push(r);
  }
  return stats(results);
}

function stats(results) {
  const ms = results.map((r) => r.ms);
  const rss = results.map((r) => r.rssKB);
  return {
    runs: results.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    peakRssMB: Math.max(...rss) / 1024,
    last: results[results.length - 1],
  };
}

function summarize(res) {
  return { a: stats(res.a), b: stats(res.b), ratio: median(res.ratios), ratios: res.ratios };
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function fmtRow(label, s) {
  return `${label.padEnd(34)} median ${fmtMs(s.medianMs).padStart(8)}  (min ${fmtMs(s.minMs)}, max ${fmtMs(s.maxMs)})  peak RSS ${s.peakRssMB.toFixed(0)} MB`;
}
