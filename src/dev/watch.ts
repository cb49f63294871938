import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface WatchOptions {
  projectDir: string;
  /** Files outside the project folder a build reads (fixtures elsewhere). */
  extraFiles: readonly string[];
  /** Saves closer together than this are one change (an editor writing several files, a git checkout). */
  quietMs: number;
}

/**
 * Watches everything a build reads: the project folder (tasks.js, targets.js, nools-extras.js and every module
 * they require, the contact summary, app_settings/ and the other settings files, translations/, fixtures in the
 * folder), fixture files elsewhere, and the packages installed in the project's node_modules (a package added,
 * removed or upgraded: npm rewrites node_modules/.package-lock.json on every install).
 *
 * chokidar rather than `fs.watch`: the same events on Linux, macOS and Windows, editors' save styles (write in
 * place, write a temp file and rename over, delete and recreate: its `atomic` handling reports one change),
 * new folders followed as they appear, and no recursive `fs.watch` (missing or unreliable on Linux in Node 20).
 */
export class ProjectWatcher {
  private readonly watcher: FSWatcher;
  private pendingFiles = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WatchOptions, private readonly onChange: (files: string[], firstSeenAt: number) => void) {
    const modules = path.join(options.projectDir, 'node_modules');
    this.watcher = watch([options.projectDir, ...options.extraFiles], {
      ignoreInitial: true,
      ignored: (file: string) => ignored(file, options.projectDir, modules),
      atomic: true,
    });
    for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
      this.watcher.on(event, (file: string) => this.saw(file));
    }
  }

  /** Resolves when the initial scan is done: changes from then on are seen. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.watcher.once('ready', () => resolve());
      this.watcher.once('error', reject);
    });
  }

  private firstSeenAt = 0;

  /** Whether a change was seen that has not been handed to `onChange` yet (its quiet period is still running). */
  get pending(): boolean {
    return this.pendingFiles.size !== 0;
  }

  private saw(file: string): void {
    if (this.pendingFiles.size === 0) this.firstSeenAt = Date.now();
    this.pendingFiles.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pendingFiles].sort();
      this.pendingFiles = new Set();
      this.onChange(files, this.firstSeenAt);
    }, this.options.quietMs);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher.close();
  }
}

/**
 * Editors' temp and backup files (a save written to `tasks.js.tmp` then renamed over `tasks.js`, vim's `4913`
 * probe and swap files, JetBrains' `___jb_tmp___`, Emacs' `#tasks.js#`): no require resolves to them, so they are
 * left out of what a build says changed. They still start builds: the rename over the real file is sometimes
 * reported late or not at all (inotify moves, chokidar's atomic-save handling), and the temp file's own events
 * then make sure the save is built.
 */
export const EDITOR_FILES = /(?:\.tmp|\.swp|\.swx|\.crswap|___jb_tmp___|___jb_old___|~)$|^(?:4913|#.*#)$/;

/**
 * Not a build's input: version control, dot-files (editors' swap files, caches: no require reads a dot-file
 * unless it names it), node_modules below the package folders, except npm's record of what is installed, and
 * the project's `backups/`, where backup-app-settings and `--upload` keep the instance's settings (an upload's
 * backup made the session build again for nothing).
 */
function ignored(file: string, projectDir: string, modules: string): boolean {
  const base = path.basename(file);
  if (file === projectDir || file === modules) return false;
  if (file === path.join(projectDir, 'backups') || file.startsWith(path.join(projectDir, 'backups') + path.sep)) return true;
  if (file.startsWith(modules + path.sep)) {
    const rest = file.slice(modules.length + 1).split(path.sep);
    if (rest.length === 1) return base.startsWith('.') && base !== '.package-lock.json';
    // A scoped package's folder (@scope/name) is one level deeper.
    return !(rest.length === 2 && rest[0]!.startsWith('@'));
  }
  return base.startsWith('.');
}

/**
 * What the files a build depends on look like now (the watcher's files: the project folder without
 * node_modules' packages, plus `extraFiles`), as one string of each file's path, size, modification time (ns)
 * and inode. Equal at a build's start and after its upload's compile: every read in between saw the same files,
 * whether or not the watcher has reported a save yet (its events come a little after the write). Stat only:
 * a project's forms can be megabytes, and a save moves the size or the time (a same-size save within the clock
 * tick of the last one does not: the watcher's report, checked too, covers it).
 */
export function projectState(projectDir: string, extraFiles: readonly string[]): string {
  const modules = path.join(projectDir, 'node_modules');
  const parts: string[] = [];
  const add = (file: string) => {
    try {
      const s = statSync(file, { bigint: true });
      parts.push(`${file}\0${s.size}\0${s.mtimeNs}\0${s.ino}`);
    } catch {
      parts.push(`${file}\0-`);
    }
  };
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const file = path.join(dir, entry.name);
      if (file === modules) add(path.join(modules, '.package-lock.json'));
      else if (ignored(file, projectDir, modules)) continue;
      else if (entry.isDirectory()) walk(file);
      else add(file);
    }
  };
  walk(projectDir);
  for (const file of extraFiles) add(file);
  return parts.join('\n');
}

/** The files whose entry differs between two `projectState` strings (added, removed or changed). */
export function changedFiles(before: string, after: string): string[] {
  const entries = (state: string) => new Map(state.split('\n').map((line) => [line.slice(0, line.indexOf('\0')), line]));
  const a = entries(before);
  const b = entries(after);
  const files = new Set<string>();
  for (const [file, line] of b) if (a.get(file) !== line) files.add(file);
  for (const file of a.keys()) if (!b.has(file)) files.add(file);
  return [...files];
}
