import { createServer } from 'node:net';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps } from '../helpers/cli.js';
import { build, devProject, nextBuild, startDev, stopAllDevs } from './helpers.js';

afterAll(async () => {
  await stopAllDevs();
  cleanupTemps();
});

const SPAN = ['--from=2024-05-01', '--to=2024-08-31'];

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

describe('cht dev', () => {
  it('builds on start, rebuilds on save, keeps the last good report through an error, and says what changed', async () => {
    const dir = devProject();
    const dev = await startDev([`--source=${dir}`, ...SPAN, '--port=0']);
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const first = await nextBuild(dev.url, 0);
    expect(first).toMatchObject({ id: 1, status: 'ok', dataBuild: 1, diagnostics: [] });
    const windows = first.data!.windows.filter((w) => w.id.endsWith('~anc-home-visit'));
    expect(windows.length).toBeGreaterThan(0);

    // The ANC visits' windows move: they open 10 days before the due date instead of 7.
    const tasks = path.join(dir, 'tasks.js');
    const before = readFileSync(tasks, 'utf8');
    edit(tasks, (t) => t.replace("dueDate: ancVisitDueDate(weeks),\n    start: 7,", "dueDate: ancVisitDueDate(weeks),\n    start: 10,"));
    expect(readFileSync(tasks, 'utf8')).not.toBe(before);
    const moved = await nextBuild(dev.url, 1);
    expect(moved.status).toBe('ok');
    expect(moved.changed).toEqual(['tasks.js']);
    expect(moved.changes!.moved.map((m) => [m.before.id, m.before.start, m.after.start]).sort()).toEqual([
      ['preg-2~anc-week-20~anc-home-visit', '2024-05-15', '2024-05-12'],
      ['preg-2~anc-week-26~anc-home-visit', '2024-06-26', '2024-06-23'],
      ['preg-2~anc-week-30~anc-home-visit', '2024-07-24', '2024-07-21'],
      ['preg-2~anc-week-34~anc-home-visit', '2024-08-21', '2024-08-18'],
    ]);
    expect(moved.changes!.byTask).toEqual({ 'anc-home-visit': { appeared: 0, disappeared: 0, moved: 4 } });
    const starts = (b: typeof first) => b.data!.windows.filter((w) => w.id.endsWith('~anc-home-visit')).map((w) => w.start).sort();
    expect(starts(moved)).not.toEqual(starts(first));

    // A syntax error: the diagnostic names the file and line; the last good report stays.
    appendFileSync(tasks, '\nmodule.exports.push({ name: \n');
    const broken = await nextBuild(dev.url, moved.id);
    expect(broken.status).toBe('error');
    expect(broken.dataBuild).toBe(moved.id);
    expect(broken.data!.windows).toEqual(moved.data!.windows);
    const d = broken.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.file).toBe('tasks.js');
    expect(d.line).toBeGreaterThan(200);
    expect(d.text).toContain('tasks.js:');

    // Fixed by an editor that writes a temp file and renames it over the original.
    writeFileSync(`${tasks}.tmp`, before);
    renameSync(`${tasks}.tmp`, tasks);
    const fixed = await nextBuild(dev.url, broken.id);
    expect(fixed.status).toBe('ok');
    expect(starts(fixed)).toEqual(starts(first));

    // A required module changes: the build follows it.
    appendFileSync(path.join(dir, 'nools-extras.js'), '\n// a comment\n');
    // (The temp file's own late events may make one more build first: it says nothing changed.)
    const followed = await nextBuild(dev.url, fixed.id, (b) => b.changed.length > 0);
    expect(followed.changed).toEqual(['nools-extras.js']);

    // Fixtures that are not JSON: located in the fixture file.
    const fixtures = path.join(dir, 'harness.defaults.json');
    const good = readFileSync(fixtures, 'utf8');
    writeFileSync(fixtures, good.replace('{', '{,'));
    const bad = await nextBuild(dev.url, fixed.id, (b) => b.status === 'error');
    expect(bad.diagnostics[0]).toMatchObject({ file: 'harness.defaults.json', line: 1 });
    writeFileSync(fixtures, good);
    const back = await nextBuild(dev.url, bad.id);
    expect(back.status).toBe('ok');
    expect(dev.stderr()).toMatch(/build \d+ failed in \d+ ms: harness\.defaults\.json: 1 error/);

    // A burst of 20 saves is one or two builds, and the last one sees the final state.
    for (let i = 0; i < 20; i++) appendFileSync(path.join(dir, 'nools-extras.js'), `// ${i}\n`);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await build(dev.url);
    expect(after.id - back.id).toBeGreaterThanOrEqual(1);
    expect(after.id - back.id).toBeLessThanOrEqual(2);

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  }, 90_000);

  it('serves the report page and its channel only, to its own host and origin', async () => {
    const dir = devProject();
    const dev = await startDev([`--source=${dir}`, ...SPAN, '--port=0']);
    await nextBuild(dev.url, 0);
    const page = await fetch(dev.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('id="report-live"');
    expect(html).toMatch(/connect-src 'self'/);
    expect((await fetch(new URL('tasks.js', dev.url))).status).toBe(404);
    expect((await fetch(new URL('../../etc/passwd', dev.url))).status).toBe(404);
    // DNS rebinding: another host name pointing at 127.0.0.1.
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const u = new URL(dev.url);
      request({ host: u.hostname, port: u.port, path: '/build.json', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(await status({ Host: 'attacker.example:80' })).toBe(421);
    expect(await status({ Origin: 'http://attacker.example' })).toBe(403);
    expect(await status({})).toBe(200);
    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(130);
  }, 60_000);

  it('takes the next free port when the default is busy, and refuses a --port that is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const dir = devProject();
      const { runCht } = await import('../helpers/cli.js');
      const r = await runCht([`--source=${dir}`, ...SPAN, `--port=${taken}`, 'dev']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`Port ${taken} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe('cht dev and the files around the rules', () => {
  it('follows a required module renamed away and back, and a package upgraded in node_modules', async () => {
    const { mkdirSync, rmSync, symlinkSync } = await import('node:fs');
    const { ROOT } = await import('../helpers/cli.js');
    const dir = devProject();
    // A node_modules of the project's own, as npm leaves it: moment (the contact summary's), and a small package
    // whose value the ANC windows use.
    rmSync(path.join(dir, 'node_modules'));
    mkdirSync(path.join(dir, 'node_modules', 'anc-window'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', 'moment'), path.join(dir, 'node_modules', 'moment'));
    const pkg = path.join(dir, 'node_modules', 'anc-window');
    writeFileSync(path.join(pkg, 'package.json'), '{"name":"anc-window","version":"1.0.0","main":"index.js"}\n');
    writeFileSync(path.join(pkg, 'index.js'), 'module.exports = { start: 7 };\n');
    writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/anc-window":{"version":"1.0.0"}}}\n');
    const tasks = path.join(dir, 'tasks.js');
    edit(tasks, (t) => `const ancWindow = require('anc-window');\n${t.replace("dueDate: ancVisitDueDate(weeks),\n    start: 7,", 'dueDate: ancVisitDueDate(weeks),\n    start: ancWindow.start,')}`);

    const dev = await startDev([`--source=${dir}`, ...SPAN, '--port=0']);
    const first = await nextBuild(dev.url, 0);
    expect(first.status).toBe('ok');
    const ancStart = (b: typeof first) => b.data!.windows.find((w) => w.id === 'preg-2~anc-week-26~anc-home-visit')!.start;
    expect(ancStart(first)).toBe('2024-06-26');

    // `npm install anc-window@2`: the package's files change and npm rewrites node_modules/.package-lock.json.
    writeFileSync(path.join(pkg, 'index.js'), 'module.exports = { start: 10 };\n');
    writeFileSync(path.join(pkg, 'package.json'), '{"name":"anc-window","version":"2.0.0","main":"index.js"}\n');
    writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/anc-window":{"version":"2.0.0"}}}\n');
    const upgraded = await nextBuild(dev.url, first.id, (b) => b.status === 'ok' && ancStart(b) !== '2024-06-26');
    expect(ancStart(upgraded)).toBe('2024-06-23');

    // The module tasks.js requires is renamed away: the build fails on the require; renamed back, it works.
    renameSync(path.join(dir, 'nools-extras.js'), path.join(dir, 'extras-renamed.js'));
    const missing = await nextBuild(dev.url, upgraded.id, (b) => b.status === 'error');
    expect(missing.diagnostics.some((d) => d.file === 'tasks.js' && /nools-extras/.test(d.message))).toBe(true);
    renameSync(path.join(dir, 'extras-renamed.js'), path.join(dir, 'nools-extras.js'));
    const back = await nextBuild(dev.url, missing.id, (b) => b.status === 'ok');
    expect(ancStart(back)).toBe('2024-06-23');
    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  }, 90_000);
});

describe('cht dev when its reader goes', () => {
  it('ends quietly with exit 0 once its output pipe is closed (as `cht dev | head -1` does), at the next build', async () => {
    const dir = devProject();
    const dev = await startDev([`--source=${dir}`, ...SPAN, '--port=0']);
    await nextBuild(dev.url, 0);
    dev.child.stdout!.destroy();
    dev.child.stderr!.destroy();
    appendFileSync(path.join(dir, 'nools-extras.js'), '\n// saved\n');
    expect(await dev.exited).toBe(0);
  }, 60_000);
});

describe('cht dev --upload', () => {
  it('uploads after each good build (a backup first), skips what is up to date, and keeps watching when the instance is down', async () => {
    const { startServe, stopAllServes, getJson } = await import('../local-instance/helpers/serve.js');
    const { tempDir } = await import('../helpers/cli.js');
    const { readdirSync } = await import('node:fs');
    const serve = await startServe(tempDir());
    try {
      const dir = devProject();
      const dev = await startDev([`--source=${dir}`, ...SPAN, '--port=0', `--url=${serve.adminUrl}`, '--upload']);
      const first = await nextBuild(dev.url, 0);
      await expect.poll(() => dev.stderr(), { timeout: 20_000 }).toMatch(/uploaded to http:\/\/127\.0\.0\.1:\d+ \(\d+ change/);
      expect(readdirSync(path.join(dir, 'backups')).filter((f) => f.startsWith('app_settings.json.'))).toHaveLength(1);
      // The backup written into backups/ is no build's input: no build follows it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await build(dev.url)).id).toBe(first.id);
      const settings = async () => (await getJson(`${serve.url}/api/v1/settings`)) as { tasks: { rules: string } };
      expect((await settings()).tasks.rules).not.toContain('start:10');

      // A change to the rules reaches the instance, with no second backup.
      const tasks = path.join(dir, 'tasks.js');
      edit(tasks, (t) => t.replace("dueDate: ancVisitDueDate(weeks),\n    start: 7,", "dueDate: ancVisitDueDate(weeks),\n    start: 10,"));
      await nextBuild(dev.url, first.id);
      await expect.poll(() => dev.stderr().match(/uploaded to/g)?.length ?? 0, { timeout: 20_000 }).toBe(2);
      expect((await settings()).tasks.rules).toMatch(/start:\s*10/);
      expect(readdirSync(path.join(dir, 'backups')).filter((f) => f.startsWith('app_settings.json.'))).toHaveLength(1);

      // A save that changes nothing the instance holds: nothing uploaded.
      appendFileSync(path.join(dir, 'harness.defaults.json'), '\n');
      await expect.poll(() => dev.stderr(), { timeout: 20_000 }).toMatch(/is up to date: nothing uploaded/);

      // The instance goes away: the build still works, the upload says why, the session goes on.
      await serve.stop();
      edit(tasks, (t) => t.replace('start: 10,', 'start: 7,'));
      await expect.poll(() => dev.stderr(), { timeout: 30_000 }).toMatch(/upload to http:\/\/127\.0\.0\.1:\d+ failed: .*still watching/);
      expect((await build(dev.url)).status).toBe('ok');
      // Nothing was compiled to disk: the project's own app_settings.json is the one it came with.
      const { fixture } = await import('../helpers/cli.js');
      expect(readFileSync(path.join(dir, 'app_settings.json'), 'utf8')).toBe(readFileSync(path.join(fixture('example-app'), 'app_settings.json'), 'utf8'));
      dev.child.kill('SIGTERM');
      expect(await dev.exited).toBe(0);
    } finally {
      await stopAllServes();
    }
  }, 120_000);
});
