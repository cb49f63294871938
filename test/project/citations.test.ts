// Issue 12: comments and READMEs cite cht-core's own source (tag, path, function), never research notes kept
// outside the repository, which a maintainer who clones chtkit cannot open. This guard reads every file under
// src/ and the top README.md and names each file:line that cites such a note.
// The forbidden texts are assembled from pieces so that this file does not match a plain grep for them itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const NOTES = ['rules-engine', 'cht-conf', 'test-harness', 'sms-outbound', 'ecosystem'].map((n) => `${n}.md`);
const PATTERNS: { what: string; re: RegExp }[] = [
  { what: 'the research notes folder', re: new RegExp(['shared', 'research'].join('/')) },
  ...NOTES.map((note) => ({ what: `the note ${note}`, re: new RegExp(note.replace(/[.-]/g, '\\$&')) })),
  // style.md as a cited note: bare, `../style.md` or under the notes folder; a repository path such as
  // docs/style.md would be a file a reader can open.
  { what: 'the note style.md', re: /(?:^|[^\w./-]|\.\.\/|research\/)style\.md/ },
  { what: 'a section sign (a note section)', re: new RegExp('\u00a7') },
];

/** Every hit in a text, as `line: what — the line`. */
function citationsIn(text: string): string[] {
  const hits: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const { what, re } of PATTERNS) if (re.test(line)) hits.push(`${i + 1}: ${what} — ${line.trim()}`);
  });
  return hits;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.isFile() ? [full] : [];
  });
}

describe('citations (issue 12)', () => {
  it('src/ and README.md cite cht-core source, not notes outside the repository', () => {
    const files = [...filesUnder(path.join(ROOT, 'src')), path.join(ROOT, 'README.md')];
    // The walk must really see the code and the folder READMEs, or the check below proves nothing.
    const rel = files.map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    expect(rel).toContain('src/schema/workflows/README.md');
    expect(rel).toContain('src/schema/workflows/registrations.ts');
    expect(rel.filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(100);

    const hits = files.flatMap((f, i) => citationsIn(readFileSync(f, 'utf8')).map((h) => `${rel[i]}:${h}`));
    expect(hits, `cite cht-core's source instead (repository, tag, path, function):\n${hits.join('\n')}`).toEqual([]);
  });

  it('recognises each kind of note citation, and leaves cht-core citations alone', () => {
    const section = '\u00a7';
    const notesDir = ['..', 'shared', 'research'].join('/');
    const cited = [
      `(${notesDir}/${NOTES[3]} ${section}4)`,
      ...NOTES.map((n) => `see ${n}`),
      'see style.md',
      `see ${notesDir}/style.md`,
      `rules of ${section}11.3`,
    ];
    for (const line of cited) {
      const hits = citationsIn(`ok\n${line}\n`);
      expect(hits.length, line).toBeGreaterThan(0);
      for (const h of hits) expect(h, line).toMatch(/^2: /);
    }
    const clean = [
      'cht-core 4.11.0 shared-libs/transitions/src/transitions/registration.js, init',
      'docs/style.md in this repository',
      'code-style.md',
    ];
    for (const line of clean) expect(citationsIn(line), line).toEqual([]);
  });
});
