import { describe, expect, it } from 'vitest';
import type { WorkflowProblem } from '../../../src/schema/workflows/context.js';
import { checkRuntimeKeys } from '../../../src/schema/workflows/runtime-keys.js';
import { workflowContext } from './context.js';

const run = (settings: Record<string, unknown>) => checkRuntimeKeys(workflowContext(settings));
const brief = (ps: WorkflowProblem[]) => ps.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);

describe('runtime keys (settings/…)', () => {
  it('accepts usual values', () => {
    expect(
      run({
        default_country_code: '254',
        phone_validation: 'Partial',
        sms: { outgoing_service: 'rapidpro', rapidpro: { url: 'https://rp.example' } },
        replication_depth: [{ role: 'chw', depth: 2 }],
        roles: { chw: { name: 'usertype.chw', offline: true } },
        token_login: { enabled: false },
        synthetic_date: '',
      }),
    ).toEqual([]);
    expect(run({ default_country_code: 977 })).toEqual([]);
  });

  it('rejects a country code with a plus sign', () => {
    const ps = run({ default_country_code: '+254' });
    expect(brief(ps)).toEqual(['error settings/default-country-code default_country_code']);
    expect(ps[0]?.hint).toContain('"254"');
  });

  it('checks phone_validation', () => {
    expect(brief(run({ phone_validation: 'strict' }))).toEqual(['warning settings/phone-validation phone_validation']);
    expect(brief(run({ phone_validation: true }))).toEqual(['error settings/phone-validation phone_validation']);
  });

  it('checks the SMS service and what it needs', () => {
    expect(brief(run({ sms: { outgoing_service: 'africastalking' } }))).toEqual(['error settings/sms-service sms.outgoing_service']);
    expect(brief(run({ sms: { outgoing_service: 'africas-talking' } }))).toEqual(['error settings/sms-service sms.africas_talking']);
    expect(brief(run({ sms: { outgoing_service: 'africas-talking', africas_talking: { username: 'me' } } }))).toEqual([]);
  });

  it('checks the outgoing filters applied to every message', () => {
    expect(run({ outgoing_deny_list: '+2547,+2541', outgoing_phone_filters: [{ match: '^0', replace: '+254' }], outgoing_deny_with_alphas: true, outgoing_deny_shorter_than: 6 })).toEqual([]);
    expect(brief(run({ outgoing_deny_list: ['+2547'] }))).toEqual(['error settings/outgoing-filters outgoing_deny_list']);
    expect(brief(run({ outgoing_phone_filters: [{ match: '^(0', replace: '+254' }, { match: '^00', replace: '' }] }))).toEqual([
      'error settings/outgoing-filters outgoing_phone_filters.0.match',
      'warning settings/outgoing-filters outgoing_phone_filters.1.replace',
    ]);
    expect(brief(run({ outgoing_phone_filters: { match: '^0' } }))).toEqual(['error settings/outgoing-filters outgoing_phone_filters']);
    expect(brief(run({ outgoing_deny_with_alphas: 'true', outgoing_deny_shorter_than: 'six' }))).toEqual([
      'warning settings/outgoing-filters outgoing_deny_with_alphas',
      'warning settings/outgoing-filters outgoing_deny_shorter_than',
    ]);
  });

  it('warns about a synthetic date', () => {
    expect(brief(run({ synthetic_date: '20240101' }))).toEqual(['warning settings/synthetic-date synthetic_date']);
  });

  it('warns about a non-boolean token_login.enabled', () => {
    expect(brief(run({ token_login: { enabled: 'true' } }))).toEqual(['warning settings/token-login token_login.enabled']);
  });

  it('notes keys 4.x never reads', () => {
    const ps = run({ replications: [], id_format: '1111', kujua_locale: 'en' });
    expect(brief(ps)).toEqual(['note settings/unread-key replications', 'note settings/unread-key id_format', 'note settings/unread-key kujua_locale']);
  });
});
