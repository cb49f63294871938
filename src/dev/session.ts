import path from 'node:path';
import type { LiveBuild } from '../report/html/live.js';
import { changesBetween } from '../report/html/live.js';
import type { ReportData } from '../report/html/report-data.js';
import { runDevBuild, type DevBuildResult, type DevRequest } from './build.js';
import { changedFiles, EDITOR_FILES, ProjectWatcher, projectState } from './watch.js';

export interface DevSessionHooks {
  /** A build finished (good or failed): publish it, print its line, upload... Awaited before the next build. */
  built(build: LiveBuild, result: DevBuildResult): void | Promise<void>;
}

/**
 * Builds once, then again after every burst of changes: one build at a time; changes seen during a build make
 * exactly one more build after it (with every file seen), so the last build always follows the last save.
 *
 * The watcher's events are not the only signal: every `recheckMs` while idle, the files' state (watch.ts
 * projectState, stat only) is compared with what the last build started from, and a difference nobody reported
 * is built. inotify events do get lost (a loaded machine: a save seen in CI never reached chokidar; network and
 * container file systems), and a workbench that silently shows an old report is worse than one a second late.
 */
export class DevSession {
  private nextId = 1;
  private lastGood: { data: ReportData; id: number } | undefined;
  private latest: LiveBuild | undefined;
  private building: Promise<void> | undefined;
  private queued: string[] | undefined;
  private firstChangeAt: number | undefined;
  private watcher: ProjectWatcher | undefined;
  private closed = false;

  private recheck: NodeJS.Timeout | undefined;

  constructor(private readonly request: DevRequest, private readonly hooks: DevSessionHooks, private readonly quietMs = 15, private readonly recheckMs = 1000) {}

  /** The watcher, then the first build: a save made once the first build is published is never missed. */
  async start(): Promise<void> {
    const outside = this.request.fixtureFiles.filter((f) => !isInside(f, this.request.projectDir));
    this.watcher = new ProjectWatcher({ projectDir: this.request.projectDir, extraFiles: outside, quietMs: this.quietMs }, (files, at) => this.changed(files, at));
    await this.watcher.ready();
    await this.build([]);
    this.recheck = setInterval(() => this.recheckFiles(), this.recheckMs);
    // (A timer must not keep the process alive: closing the server and the watcher ends `cht dev`.)
    this.recheck.unref();
  }

  /** The files' state at the last recheck that found them changed and unreported. */
  private unreported: string | undefined;

  /**
   * A change the watcher did not report: built, naming the files whose size, time or inode moved. Only when two
   * rechecks in a row see the same changed state (a save's event normally comes within milliseconds; building on
   * the first sight would often build it twice, once here and once for the event).
   */
  private recheckFiles(): void {
    if (this.closed || this.building || this.queued !== undefined || this.watcher?.pending !== false || this.startState === undefined) {
      this.unreported = undefined;
      return;
    }
    const now = this.state();
    const seenBefore = this.unreported === now;
    this.unreported = now === this.startState ? undefined : now;
    if (this.unreported === undefined || !seenBefore) return;
    this.unreported = undefined;
    const files = changedFiles(this.startState, now);
    this.firstChangeAt ??= Date.now();
    void this.build(files);
  }

  get current(): LiveBuild | undefined {
    return this.latest;
  }

  /**
   * Whether files changed since the build being published started: a save the watcher reported during it (queued,
   * or still in its quiet period), or the files' state (watch.ts projectState) no longer what it was when the
   * build started (a save whose event has not come yet). What the build read may then be a file half-written, and
   * a newer build follows. `cht dev --upload` uploads only a build nothing changed under.
   */
  changedSinceBuildStarted(): boolean {
    if (this.queued !== undefined || this.watcher?.pending === true) return true;
    return this.startState !== undefined && this.startState !== this.state();
  }

  private startState: string | undefined;

  private state(): string {
    return projectState(this.request.projectDir, this.request.fixtureFiles.filter((f) => !isInside(f, this.request.projectDir)));
  }

  /** The latest good report (for the page's first load). */
  get goodData(): ReportData | undefined {
    return this.lastGood?.data;
  }

  private changed(files: string[], at: number): void {
    if (this.closed) return;
    this.firstChangeAt ??= at;
    if (this.building) {
      this.queued = [...(this.queued ?? []), ...files];
      return;
    }
    void this.build(files);
  }

  private async build(files: string[]): Promise<void> {
    const started = this.firstChangeAt ?? Date.now();
    this.firstChangeAt = undefined;
    this.startState = this.state();
    let done!: () => void;
    this.building = new Promise((resolve) => (done = resolve));
    try {
      const result = await runDevBuild(this.request);
      const id = this.nextId++;
      const before = this.lastGood;
      if (result.ok) this.lastGood = { data: result.data, id };
      const build: LiveBuild = {
        id,
        status: result.ok ? 'ok' : 'error',
        finishedAt: new Date().toISOString(),
        ms: Date.now() - started,
        changed: [...new Set(files)]
          .filter((f) => !EDITOR_FILES.test(path.basename(f)))
          .map((f) => path.relative(this.request.projectDir, f).split(path.sep).join('/')),
        diagnostics: result.diagnostics,
        data: this.lastGood?.data ?? null,
        dataBuild: this.lastGood?.id ?? null,
        ...(result.ok && before ? { changes: changesBetween(before.data, result.data) } : {}),
      };
      if (!result.ok && this.latest?.changes && this.lastGood) build.changes = this.latest.changes;
      this.latest = build;
      if (!this.closed) await this.hooks.built(build, result);
    } finally {
      this.building = undefined;
      done();
    }
    const again = this.queued;
    this.queued = undefined;
    if (again && !this.closed) await this.build(again);
  }

  /** Stops watching; a build under way finishes (its result is not published). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.recheck);
    await this.watcher?.close();
    await this.building;
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}
