import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { hydrateContact, loadFixtures, minify } from '../../../src/simulate/engine/fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'chtkit-fixtures-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
const failure = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
};

describe('fixtures (harness.defaults.json shape)', () => {
  it('reports invalid JSON with the file and the location', () => {
    const file = write('broken.json', '{ "docs": [ { "_id": "a", } ] }');
    const err = failure(() => loadFixtures([file]));
    expect(err.message).toContain(file);
    expect(err.diagnostics[0]).toMatchObject({ file, line: 1 });
  });

  it('names the file and the doc without _id or type', () => {
    const noId = write('no-id.json', { docs: [{ _id: 'ok', type: 'person' }, { type: 'person', name: 'X' }] });
    expect(failure(() => loadFixtures([noId])).message).toBe(`${noId}: docs[1] has no "_id".`);
    const noType = write('no-type.json', { docs: [{ _id: 'ok', type: 'person' }, { _id: 'r1', form: 'x' }] });
    expect(failure(() => loadFixtures([noType])).message).toBe(`${noType}: docs[1] (_id "r1") has no "type".`);
    const notObject = write('array.json', [1, 2]);
    expect(failure(() => loadFixtures([notObject])).message).toContain('must be a JSON object');
  });

  it('merges files: docs concatenated, later user/subject/roles win, duplicate ids rejected', () => {
    const a = write('a.json', { user: 'u1', userRoles: ['chw'], docs: [{ _id: 'u1', type: 'person' }, { _id: 'u2', type: 'person' }] });
    const b = write('b.json', { user: 'u2', ownedBySubject: true, subject: 'u1', docs: [{ _id: 'r1', type: 'data_record', form: 'f', patient_id: 'u1' }] });
    const merged = loadFixtures([a, b]);
    expect(merged.docs.map((d) => d._id)).toEqual(['u1', 'u2', 'r1']);
    expect(merged).toMatchObject({ userId: 'u2', subjectId: 'u1', ownedBySubject: true, roles: ['chw'] });
    const dup = write('dup.json', { docs: [{ _id: 'u1', type: 'person' }] });
    expect(failure(() => loadFixtures([a, dup])).message).toContain('same _id');
  });

  it('adds an inline user contact, and rejects an unknown user id', () => {
    const inline = write('inline.json', { user: { _id: 'me', type: 'person', name: 'Me', parent: { _id: 'hc', name: 'HC' } }, docs: [{ _id: 'hc', type: 'health_center' }] });
    const fixtures = loadFixtures([inline]);
    expect(fixtures.docs.find((d) => d._id === 'me')).toEqual({ _id: 'me', type: 'person', name: 'Me', parent: { _id: 'hc' } });
    const unknown = write('unknown.json', { user: 'ghost', docs: [] });
    expect(failure(() => loadFixtures([unknown])).message).toContain('"ghost"');
  });

  it('notes reports cht-core never sees and docs that are neither contacts nor reports', () => {
    const file = write('notes.json', { docs: [{ _id: 'r', type: 'data_record', form: 'x', patient_uuid: 'p' }, { _id: 'o', type: 'national_office' }] });
    expect(loadFixtures([file]).notes).toHaveLength(2);
  });
});

describe('lineage', () => {
  it('minifies as CHT stores docs', () => {
    expect(minify({
      _id: 'r', type: 'data_record', contact: { _id: 'c', name: 'C', parent: { _id: 'p', name: 'P', parent: { _id: 'g' } } },
      patient: { _id: 'x' }, place: { _id: 'y' }, parent: { _id: 'q', parent: { _id: 'w', name: 'W' } },
    })).toEqual({ _id: 'r', type: 'data_record', contact: { _id: 'c', parent: { _id: 'p', parent: { _id: 'g' } } }, parent: { _id: 'q', parent: { _id: 'w' } } });
  });

  it('hydrates the user with its parents and their primary contacts', () => {
    const docs = new Map<string, Record<string, unknown> & { _id: string; type: string }>([
      ['u', { _id: 'u', type: 'person', name: 'U', parent: { _id: 'hc', parent: { _id: 'missing', parent: { _id: 'dh' } } } }],
      ['hc', { _id: 'hc', type: 'health_center', name: 'HC', contact: { _id: 'boss' }, parent: { _id: 'missing', parent: { _id: 'dh' } } }],
      ['boss', { _id: 'boss', type: 'person', name: 'Boss', parent: { _id: 'hc' } }],
      ['dh', { _id: 'dh', type: 'district_hospital', name: 'DH' }],
    ]);
    expect(hydrateContact('u', docs)).toEqual({
      _id: 'u', type: 'person', name: 'U',
      parent: {
        _id: 'hc', type: 'health_center', name: 'HC', contact: { _id: 'boss', type: 'person', name: 'Boss', parent: { _id: 'hc' } },
        parent: { _id: 'missing', parent: { _id: 'dh', type: 'district_hospital', name: 'DH' } },
      },
    });
    expect(hydrateContact(undefined, docs)).toBeNull();
  });
});
