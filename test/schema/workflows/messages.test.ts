import { describe, expect, it } from 'vitest';
import { checkBoolExpr, checkMessageText, checkRecipient, translationDefined } from '../../../src/schema/workflows/messages.js';
import { workflowContext } from './context.js';

const ctx = workflowContext({ contact_types: [{ id: 'chw_area' }, { id: 'clinic' }, { id: 'person', person: true }] }, { translations: { fr: { 'fr.only': 'Bonjour' }, en: { 'en.bad': 'Hi {{ patient name }}' } } });
const sms = { kind: 'sms' as const, code: 'P', fields: new Map<string, string | undefined>([['chw_phone', 'phone_number']]) };
const codes = (ps: { severity: string; code: string }[]) => ps.map((p) => `${p.severity} ${p.code}`);

describe('message text', () => {
  const text = (msg: Record<string, unknown>, pluralRead = false) => codes(checkMessageText(msg, ['m'], ctx, { pluralRead, requireText: true }).problems);

  it('translation keys: project (any locale) or cht-core built-ins', () => {
    expect(translationDefined(ctx, 'messages.generic.registration_not_found')).toBe(true);
    expect(translationDefined(ctx, 'fr.only')).toBe(true);
    expect(text({ translation_key: 'messages.generic.typo' })).toEqual(['error sms/unknown-translation-key']);
    expect(text({ translation_key: 'custom.key' })).toEqual(['warning sms/unknown-translation-key']);
    expect(text({ translation_key: 'en.bad' })).toEqual(['warning sms/placeholder-renders-empty']);
  });

  it('message arrays, plural where only message is read, no text at all', () => {
    expect(text({ message: [{ locale: 'en', content: 'Thanks {{patient_name}}' }] })).toEqual([]);
    expect(text({ message: 'Thanks' })).toEqual([]);
    expect(text({ messages: [{ locale: 'en', content: 'Thanks' }] })).toEqual(['error sms/message-plural']);
    expect(text({ messages: [{ locale: 'en', content: 'Thanks' }] }, true)).toEqual([]);
    expect(text({})).toEqual(['error sms/message-no-text']);
    expect(text({ message: [{ locale: 'en', content: 3 }] })).toEqual(['error sms/message-shape']);
    expect(text({ message: { en: 'Thanks' } })).toEqual(['error sms/message-shape']);
  });
});

describe('recipients', () => {
  const rec = (r: unknown, forms = [sms]) => codes(checkRecipient(r, ['r'], ctx, forms));
  it('known recipients', () => {
    for (const r of ['reporting_unit', 'parent', 'grandparent', 'clinic', 'ancestor:chw_area', 'link:supervisor', 'chw_phone', 'patient.parent.contact.phone', '+254712345678', 'from', ' parent ']) expect(rec(r), r).toEqual([]);
  });
  it('recipients that quietly reach the sender', () => {
    expect(rec('supervisor')).toEqual(['warning sms/unknown-recipient']);
    expect(rec('ancestor:health_centre')).toEqual(['warning sms/unknown-recipient']);
    expect(rec('district')).toEqual(['warning sms/recipient-never-matches']);
    expect(rec(5)).toEqual(['error sms/recipient-shape']);
    // With an app form the fields are unknown: only near-misses of keywords are reported.
    expect(rec('supervisor', [{ kind: 'app', code: 'x' } as never])).toEqual([]);
    expect(rec('reporting_units', [{ kind: 'app', code: 'x' } as never])).toEqual(['warning sms/unknown-recipient']);
  });
});

describe('bool_expr', () => {
  it('compiles as a script, never runs', () => {
    expect(checkBoolExpr('doc.fields.age < 5', ['b'], 'x')).toEqual([]);
    expect(checkBoolExpr('var a = 1; a > 0', ['b'], 'x')).toEqual([]);
    expect(codes(checkBoolExpr('doc.fields.age <', ['b'], 'x'))).toEqual(['error sms/bool-expr']);
    expect(codes(checkBoolExpr(true, ['b'], 'x'))).toEqual(['warning sms/bool-expr']);
  });
});
