import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevSession } from '../../src/dev/session.js';
import { cleanupTemps } from '../helpers/cli.js';
import { devProject } from './helpers.js';

afterAll(cleanupTemps);

describe('DevSession', () => {
  it('says when files changed under the build being published (cht dev --upload then waits for the next build)', async () => {
    const dir = devProject();
    const seen: { id: number; changed: boolean }[] = [];
    let next!: () => void;
    const second = new Promise<void>((resolve) => (next = resolve));
    const session: DevSession = new DevSession({
      projectDir: dir, fixtureFiles: [path.join(dir, 'harness.defaults.json')],
      tz: 'Africa/Nairobi', at: { hours: 12, minutes: 0 }, from: '2024-06-01', to: '2024-06-07', allStates: false,
    }, {
      async built(build) {
        if (build.id === 1) {
          expect(session.changedSinceBuildStarted()).toBe(false);
          // A save while the first build is being published: known at once from the files themselves, before
          // the watcher has reported it; then in its quiet period, then queued.
          appendFileSync(path.join(dir, 'nools-extras.js'), '\n// saved\n');
          expect(session.changedSinceBuildStarted()).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        seen.push({ id: build.id, changed: session.changedSinceBuildStarted() });
        if (build.id === 2) next();
      },
    });
    try {
      await session.start();
      await second;
      // The first build had a save under it; the build after the save had none.
      expect(seen).toEqual([{ id: 1, changed: true }, { id: 2, changed: false }]);
    } finally {
      await session.close();
    }
  }, 60_000);
});

describe('DevSession without the watcher\'s events', () => {
  it('builds a save the watcher never reported, naming the file, and only once', async () => {
    const dir = devProject();
    const builds: { id: number; changed: string[] }[] = [];
    const session = new DevSession({
      projectDir: dir, fixtureFiles: [path.join(dir, 'harness.defaults.json')],
      tz: 'Africa/Nairobi', at: { hours: 12, minutes: 0 }, from: '2024-06-01', to: '2024-06-07', allStates: false,
    }, { built: (build) => void builds.push({ id: build.id, changed: build.changed }) }, 15, 100);
    try {
      await session.start();
      // As if inotify lost the events (seen once in CI on a loaded machine): the watcher reports nothing.
      await (session as unknown as { watcher: { close(): Promise<void> } }).watcher.close();
      appendFileSync(path.join(dir, 'nools-extras.js'), '\n// saved\n');
      const deadline = Date.now() + 20_000;
      while (builds.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      expect(builds).toEqual([{ id: 1, changed: [] }, { id: 2, changed: ['nools-extras.js'] }]);
    } finally {
      await session.close();
    }
  }, 60_000);
});
