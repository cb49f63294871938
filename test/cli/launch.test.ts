import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, cleanupTemps, fixture, ROOT, runCht, runNode, tempCopy, tempDir } from '../helpers/cli.js';

afterAll(cleanupTemps);

// bin/cht.js on Node 20 runs dist/cli/cht.cjs (every chtkit module, bundled at build time) through a V8 code cache
// kept in the user's cache folder (src/cli/launch.ts). The rest of the suite runs the CLI that way too; these
// tests pin down the cache itself, and that the bundle answers as the modules do.
const nodeHasCompileCache = Number(process.versions.node.split('.')[0]) >= 22;
const BUILD = /^\/\/ chtkit-cli-bundle ([0-9a-f]+) /.exec(readFileSync(path.join(ROOT, 'dist', 'cli', 'cht.cjs'), 'utf8'))![1]!;

function codeCache(xdg: string): string[] {
  const dir = path.join(xdg, 'chtkit', 'code-cache');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

const SHIPPED = path.join(ROOT, 'dist', 'cli', 'code-cache');
// The build makes code caches for validate-app-settings and dry-run-tasks (scripts/build-cli-bundle.js); the user's
// own cache is tested with an action list it does not make.
const validateArgs = [`--source=${fixture('example-app')}`, 'validate-app-settings', '--json', '--no-cache'];
const targetsArgs = [`--source=${fixture('example-app')}`, 'dry-run-targets', '--date=2024-09-10', '--tz=Africa/Nairobi', '--json', '--no-cache'];

describe.skipIf(nodeHasCompileCache)('the code cache of the bundled CLI (Node 20)', () => {
  it('is written by the first run of a list of actions, then read, not rewritten', async () => {
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const first = await runCht(targetsArgs, { env });
    expect(first.code, first.stderr).toBe(0);
    const files = codeCache(xdg);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^cht-${BUILD}-[0-9a-f]{16}\\.v8$`));
    const file = path.join(xdg, 'chtkit', 'code-cache', files[0]!);
    const written = statSync(file).mtimeMs;
    const bytes = readFileSync(file);

    const second = await runCht(targetsArgs, { env });
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(readFileSync(file).equals(bytes)).toBe(true);

    // Another action list has a file of its own; options and their values do not count.
    expect((await runCht(['--version'], { env })).code).toBe(0);
    expect(codeCache(xdg)).toHaveLength(2);
    expect((await runCht(['--silent', ...targetsArgs], { env })).code).toBe(0);
    expect(codeCache(xdg)).toHaveLength(2);
  });

  it('is extended, over one V8 took, by a run that succeeds with CHTKIT_EXTEND_CODE_CACHE (how the build makes its own)', async () => {
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    expect((await runCht(targetsArgs, { env })).code).toBe(0);
    const file = path.join(xdg, 'chtkit', 'code-cache', codeCache(xdg)[0]!);
    const made = readFileSync(file);
    // A run that fails does not extend it; one that succeeds does, and keeps what the first compiled.
    const broken = [`--source=${tempDir()}`, 'dry-run-targets', '--date=2024-09-10', '--tz=Africa/Nairobi', '--json', '--no-cache'];
    expect((await runCht(broken, { env: { ...env, CHTKIT_EXTEND_CODE_CACHE: '1' } })).code).toBe(1);
    expect(readFileSync(file).equals(made)).toBe(true);
    const other = [`--source=${fixture('example-app')}`, 'dry-run-targets', '--month=2024-08', '--tz=Africa/Nairobi', '--explain=births-this-month', '--json', '--no-cache'];
    expect((await runCht(other, { env: { ...env, CHTKIT_EXTEND_CODE_CACHE: '1' } })).code).toBe(0);
    const extended = readFileSync(file);
    expect(extended.equals(made)).toBe(false);
    expect(extended.length).toBeGreaterThan(made.length);
    expect(extended.subarray(0, 18).toString('latin1')).toMatch(/^[0-9a-f]{16}\+\n$/);
  });

  it('is never handed to V8 damaged: a truncated or altered file is rewritten, and the run is as without it', async () => {
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const reference = await runCht(targetsArgs, { env });
    const file = path.join(xdg, 'chtkit', 'code-cache', codeCache(xdg)[0]!);
    const good = readFileSync(file);
    for (const damaged of [good.subarray(0, good.length >> 1), Buffer.concat([good.subarray(0, 100), Buffer.alloc(good.length - 100, 0x5a)])]) {
      writeFileSync(file, damaged);
      const r = await runCht(targetsArgs, { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(reference.stdout);
      expect(r.stderr).toBe(reference.stderr);
      expect(readFileSync(file).length).toBeGreaterThan(damaged.length >> 1);
      expect(readFileSync(file).subarray(0, 18).toString('latin1')).toMatch(/^[0-9a-f]{16}\+\n$/);
    }
  });

  it('written by a run that failed (and stopped early), is replaced by the next run that succeeds, and only then', async () => {
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const project = tempCopy(fixture('example-app'));
    const settings = path.join(project, 'app_settings', 'base_settings.json');
    const good = readFileSync(settings, 'utf8');
    const args = [`--source=${project}`, '--no-cache', 'validate-app-settings', 'compile-app-settings'];
    writeFileSync(settings, '{ "locale": ');
    expect((await runCht(args, { env })).code).toBe(1);
    const file = path.join(xdg, 'chtkit', 'code-cache', codeCache(xdg)[0]!);
    const status = () => readFileSync(file).toString('latin1', 16, 17);
    expect(status()).toBe('-');
    const failed = statSync(file).mtimeMs;
    expect((await runCht(args, { env })).code).toBe(1);
    expect(statSync(file).mtimeMs).toBe(failed);
    writeFileSync(settings, good);
    expect((await runCht(args, { env })).code).toBe(0);
    expect(status()).toBe('+');
    const succeeded = readFileSync(file);
    writeFileSync(settings, '{ "locale": ');
    expect((await runCht(args, { env })).code).toBe(1);
    expect(readFileSync(file).equals(succeeded)).toBe(true);
  });

  it("drops other builds' files when it writes its own", async () => {
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    expect((await runCht(['--version'], { env })).code).toBe(0);
    const dir = path.join(xdg, 'chtkit', 'code-cache');
    writeFileSync(path.join(dir, 'cht-0000000000000000-0000000000000000.v8'), 'an older build');
    expect((await runCht(targetsArgs, { env })).code).toBe(0);
    expect(codeCache(xdg).filter((n) => !n.startsWith(`cht-${BUILD}-`))).toEqual([]);
  });

  it("is the build's own for the common actions until the user has one, and the user's own when V8 refuses the build's", async () => {
    const shipped = readdirSync(SHIPPED).sort();
    expect(shipped).toHaveLength(2);
    for (const name of shipped) expect(name).toMatch(new RegExp(`^cht-${BUILD}-[0-9a-f]{16}\\.v8$`));
    const xdg = tempDir();
    const env = cleanEnv({ XDG_CACHE_HOME: xdg });
    const served = await runCht(validateArgs, { env });
    expect(served.code, served.stderr).toBe(0);
    expect(codeCache(xdg)).toEqual([]);
    // Any V8 flag changes what V8 accepts (NODE_OPTIONS=--max-old-space-size=… in CI does too).
    const flagged = await runNode(['--max-old-space-size=3000', BIN, ...validateArgs], { env });
    expect(flagged.stdout).toBe(served.stdout);
    expect(codeCache(xdg)).toHaveLength(1);
    const written = statSync(path.join(xdg, 'chtkit', 'code-cache', codeCache(xdg)[0]!)).mtimeMs;
    expect((await runNode(['--max-old-space-size=3000', BIN, ...validateArgs], { env })).code).toBe(0);
    expect(statSync(path.join(xdg, 'chtkit', 'code-cache', codeCache(xdg)[0]!)).mtimeMs).toBe(written);
    expect(readdirSync(SHIPPED).sort()).toEqual(shipped);
  });

  it('NODE_DISABLE_COMPILE_CACHE runs the modules themselves, writes nothing, and they answer as the bundle does', async () => {
    const xdg = tempDir();
    const bundled = cleanEnv({ XDG_CACHE_HOME: xdg });
    const modules = cleanEnv({ XDG_CACHE_HOME: tempDir(), NODE_DISABLE_COMPILE_CACHE: '1' });
    const runs: string[][] = [
      validateArgs,
      [`--source=${fixture('example-app')}`, 'dry-run-tasks', '--date=2024-09-10', '--tz=Africa/Nairobi', '--json', '--no-cache'],
      [`--source=${fixture('example-app')}`, 'dry-run-tasks', '--help'],
      ['--source', fixture('example-app'), 'no-such-action'],
    ];
    for (const args of runs) {
      const a = await runCht(args, { env: bundled });
      const b = await runCht(args, { env: modules });
      expect({ code: a.code, stdout: a.stdout, stderr: a.stderr }).toEqual({ code: b.code, stdout: b.stdout, stderr: b.stderr });
    }
    expect(codeCache(modules.XDG_CACHE_HOME!)).toEqual([]);
    expect(codeCache(xdg).length).toBeGreaterThan(0);
  });
});
