import { describe, expect, it } from 'vitest';
import { collate, contactsInViewOrder, reportsInViewOrder } from '../../../src/simulate/engine/containers.js';
import type { Doc } from '../../../src/simulate/engine/fixtures.js';

/** Seeded, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// Strings whose code-unit order differs from other orders: case, digits, accents, astral characters, prefixes.
const PIECES = ['a', 'B', 'b', '10', '9', '-', '_', 'é', 'E', '\u{1F600}', '\uFFFF', 'aa', ''];

function word(random: () => number): string {
  let w = '';
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) w += PIECES[Math.floor(random() * PIECES.length)];
  return w;
}

/** The view order by its definition: collate the keys, then the ids. */
function reference<T>(rows: { key: unknown; id: string; doc: T }[]): T[] {
  return [...rows].sort((a, b) => collate(a.key, b.key) || collate(a.id, b.id)).map((r) => r.doc);
}

describe('view order of many rows (compared as strings when the keys are strings)', () => {
  it('contacts_by_type: the order collation gives', () => {
    const random = rng(7);
    for (let round = 0; round < 20; round++) {
      const docs: Doc[] = [];
      for (let i = 0; i < 200; i++) {
        const type = ['person', 'clinic', 'health_center'][Math.floor(random() * 3)]!;
        docs.push(random() < 0.3
          ? { _id: `${word(random)}~${i}`, type: 'contact', contact_type: word(random) || 'x' }
          : { _id: `${word(random)}~${i}`, type });
      }
      const rows = docs.map((doc) => ({ key: [doc.type === 'contact' ? doc.contact_type : doc.type], id: doc._id, doc }));
      expect(contactsInViewOrder(docs)).toEqual(reference(rows));
    }
  });

  it('reports_by_subject: the order collation gives, also for keys that are not all strings', () => {
    const random = rng(11);
    for (let round = 0; round < 20; round++) {
      const mixed = round % 2 === 1;
      const docs: Doc[] = [];
      for (let i = 0; i < 200; i++) {
        const subject = mixed && random() < 0.2 ? 1 + Math.floor(random() * 50) : word(random) || 's';
        docs.push({ _id: `r${word(random)}~${i}`, type: 'data_record', form: 'f', fields: { patient_id: subject } });
      }
      const rows = docs.map((doc) => ({ key: doc.fields.patient_id as unknown, id: doc._id, doc }));
      expect(reportsInViewOrder(docs)).toEqual(reference(rows));
    }
  });
});
