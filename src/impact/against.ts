import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError, UserError } from '../errors.js';
import type { RulesConfig } from '../simulate/engine/config.js';

const run = promisify(execFile);

/** What `--against` names: a compiled settings file, the instance's settings, or the project at a git revision. */
export type AgainstSpec = { kind: 'file'; file: string } | { kind: 'instance' } | { kind: 'git'; ref: string };

export function parseAgainst(text: string, cwd: string): AgainstSpec {
  if (text === 'instance') return { kind: 'instance' };
  if (text.startsWith('git:')) {
    const ref = text.slice(4);
    if (!ref || ref.startsWith('-')) {
      throw new UsageError(`--against=${text} names no git revision.`, { code: 'CHT_E_USAGE', hint: 'e.g. --against=git:origin/main or --against=git:HEAD~1' });
    }
    return { kind: 'git', ref };
  }
  const file = path.resolve(cwd, text);
  if (!existsSync(file)) {
    throw new UsageError(`--against=${text}: no such file.`, {
      code: 'CHT_E_USAGE',
      hint: 'Give a compiled app_settings.json (e.g. from backup-app-settings), instance (the settings on --local/--url/--instance) or git:REF.',
    });
  }
  return { kind: 'file', file };
}

/** The old side's rules, what to call them in output, and what to clean up after the comparison. */
export interface AgainstSide {
  config: RulesConfig;
  /** As outputs name the old side: the file, `instance (https://…)`, `git:origin/main (3f2a9c1)`. */
  label: string;
  /** Notes for stderr (e.g. packages linked from the working tree). */
  notes: string[];
  /** Removes the temporary checkout (worker threads read extension libraries from it until the end). */
  dispose(): Promise<void>;
}

/**
 * `git ARGS` in `cwd`, its output. With `started`, git runs in a process group of its own, which `started`
 * receives (to stop it with the processes it starts: `git worktree add` checks files out in a child of its own).
 */
async function git(cwd: string, args: string[], started?: (child: ChildProcess) => void): Promise<string> {
  try {
    if (started) return await inOwnGroup('git', args, cwd, started);
    return (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new UserError('--against=git:… needs git, and git was not found on PATH.', { code: 'CHT_E_GIT' });
    throw new UserError(`git ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`, { code: 'CHT_E_GIT' });
  }
}

/**
 * A command in a process group of its own (execFile drops spawn's `detached`, so git's own children would stay in
 * chtkit's group and out of reach). Its output is small: kept whole.
 */
function inOwnGroup(command: string, args: string[], cwd: string, started: (child: ChildProcess) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    started(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(Object.assign(new Error(`${command} exited with ${signal ?? code}`), { stderr }));
    });
  });
}

interface LockPackages {
  [key: string]: { version?: string; dev?: boolean } | undefined;
}

function lockPackages(text: string | undefined): LockPackages | undefined {
  if (text === undefined) return undefined;
  try {
    const lock = JSON.parse(text) as { packages?: LockPackages; dependencies?: Record<string, { version?: string; dev?: boolean }> };
    if (lock.packages) return lock.packages;
    // Lock file v1: dependencies by name.
    return Object.fromEntries(Object.entries(lock.dependencies ?? {}).map(([name, d]) => [`node_modules/${name}`, d]));
  } catch {
    return undefined;
  }
}

/**
 * The packages the revision's lock file names (dev ones left out: the rules bundle only what they require) at
 * a version the installed ones do not have. Empty: the installed node_modules serve the revision as well.
 */
function missingPackages(oldLock: string | undefined, newLock: string | undefined): string[] {
  const old = lockPackages(oldLock);
  const now = lockPackages(newLock) ?? {};
  if (!old) return [];
  const missing: string[] = [];
  for (const [key, pkg] of Object.entries(old)) {
    if (!key || !pkg || pkg.dev) continue;
    const installed = now[key];
    if (!installed || installed.version !== pkg.version) {
      missing.push(`${key.replace(/^.*node_modules\//, '')}@${pkg.version ?? '?'}${installed?.version ? ` (installed: ${installed.version})` : ' (not installed)'}`);
    }
  }
  return missing;
}

/**
 * The project at a git revision, compiled from a clean temporary checkout (`git worktree add --detach`): the
 * user's working tree, index and branches are not touched. The project's node_modules (and those of the folders
 * above it inside the repository) are linked into the checkout when the revision's package-lock.json names
 * the packages that are installed; when it names others, a clear error says which.
 */
export async function gitSide(
  projectDir: string,
  ref: string,
  compile: (dir: string) => Promise<RulesConfig>,
  /**
   * Given a synchronous remover of the checkout while it exists (the caller runs it if the process is stopped:
   * Ctrl-C must not leave a worktree registered in the user's repository); returns what undoes the arrangement.
   */
  guard: (removeNow: () => void) => () => void = () => () => undefined,
): Promise<AgainstSide> {
  const top = (
    await git(projectDir, ['rev-parse', '--show-toplevel']).catch(() => {
      throw new UserError(`--against=git:${ref}: the project at ${projectDir} is not in a git repository.`, {
        code: 'CHT_E_GIT',
        hint: 'Compare with a compiled app_settings.json (--against=FILE) or the instance (--against=instance) instead.',
      });
    })
  ).trim();
  const rel = path.relative(top, path.resolve(projectDir));
  const commit = (await git(projectDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!commit) {
    throw new UserError(`--against=git:${ref}: ${ref} is not a commit of the repository at ${top}.`, {
      code: 'CHT_E_GIT',
      hint: 'Give a branch, tag or commit git knows (git log --oneline shows them); fetch it first if it is remote.',
    });
  }
  const relPosix = rel.split(path.sep).join('/');
  const atRef = async (file: string): Promise<string | undefined> =>
    git(top, ['show', `${commit}:${relPosix ? `${relPosix}/` : ''}${file}`]).catch(() => undefined);
  const oldLock = await atRef('package-lock.json');
  const lockFile = path.join(projectDir, 'package-lock.json');
  const newLock = existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : undefined;
  const notes: string[] = [];
  if (oldLock !== newLock) {
    const missing = missingPackages(oldLock, newLock);
    if (missing.length) {
      throw new UserError(`--against=git:${ref}: its package-lock.json needs packages that are not installed: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? `, and ${missing.length - 8} more` : ''}.`, {
        code: 'CHT_E_GIT_PACKAGES',
        hint: `chtkit compiles the revision with this project's node_modules. Check the revision out elsewhere, run npm ci there and compile it, then pass --against=<its app_settings.json>.`,
      });
    }
    if (oldLock !== undefined) notes.push(`package-lock.json differs at ${ref}, but every package it needs is installed at that version: the installed node_modules were used.`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'chtkit-against-'));
  const checkout = path.join(tmp, 'checkout');
  const gitNow = (...args: string[]) => {
    try {
      execFileSync('git', args, { cwd: top, stdio: 'ignore' });
    } catch {
      // not added yet, gone already, or being removed by `dispose` (the prune then drops its entry)
    }
  };
  // A stop can come while `git worktree add` is still writing the checkout: it is stopped first, or the files
  // it goes on writing make the removal fail (seen under load: ENOTEMPTY, and the worktree stayed registered).
  // A worktree whose add was stopped is still locked ("initializing"): removing it takes --force twice.
  let adding: ChildProcess | undefined;
  const unguard = guard(() => {
    if (adding?.pid !== undefined) {
      try {
        process.kill(-adding.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    gitNow('worktree', 'remove', '--force', '--force', checkout);
    try {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // what is left is a folder under the system's temp dir; the prune below still drops the registration
      // once git finds its checkout gone
    }
    gitNow('worktree', 'unlock', checkout);
    gitNow('worktree', 'prune');
  });
  await git(top, ['worktree', 'add', '--detach', '--quiet', checkout, commit], (child) => (adding = child));
  adding = undefined;
  // The guard stays until the worktree is gone: a stop while it is being removed must still remove it.
  const dispose = async () => {
    await git(top, ['worktree', 'remove', '--force', checkout]).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
    await git(top, ['worktree', 'prune']).catch(() => undefined);
    unguard();
  };
  try {
    // node_modules of the project folder and of every folder above it up to the repository's top.
    for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
      const modules = path.join(dir, 'node_modules');
      const inCheckout = path.join(checkout, path.relative(top, dir), 'node_modules');
      if (existsSync(modules) && !existsSync(inCheckout) && existsSync(path.dirname(inCheckout))) {
        symlinkSync(modules, inCheckout, 'junction');
      }
      if (dir === top || path.dirname(dir) === dir) break;
    }
    const oldProject = path.join(checkout, rel);
    if (!existsSync(oldProject)) {
      throw new UserError(`--against=git:${ref}: the project folder ${relPosix || '.'} does not exist at ${ref}.`, { code: 'CHT_E_GIT' });
    }
    const config = await compile(oldProject);
    return { config, label: `git:${ref} (${commit.slice(0, 7)})`, notes, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
