import { describe, expect, it } from 'vitest';
import type { WorkflowProblem } from '../../../src/schema/workflows/context.js';
import { checkTransitions } from '../../../src/schema/workflows/transitions.js';
import { workflowContext } from './context.js';

const run = (settings: Record<string, unknown>, core?: string) => checkTransitions(workflowContext(settings, { appForms: ['death_report', 'pregnancy'], core }));
const brief = (ps: WorkflowProblem[]) => ps.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`);

describe('transitions: names', () => {
  it('accepts every cht-core transition with its configuration', () => {
    const settings = {
      transitions: { registration: true, accept_patient_reports: { disable: false }, update_clinics: true, generate_shortcode_on_contacts: {}, update_sent_by: false },
      registrations: [{ form: 'P', events: [] }],
      patient_reports: [{ form: 'V' }],
    };
    expect(brief(run(settings))).toEqual([]);
  });

  it('rejects an unknown name with did-you-mean, even when it is disabled', () => {
    const ps = run({ transitions: { mutting: false } });
    expect(brief(ps)).toEqual(['error sms/unknown-transition transitions.mutting']);
    expect(ps[0]?.suggestion).toBe("'muting'");
    expect(ps[0]?.message).toContain(`'Unknown transition "mutting"'`);
    expect(ps[0]?.target).toBe('key');
  });

  it('says that cht-core 4.0 removed update_sent_forms (a 3.x config still naming it disables every transition)', () => {
    // As medic/cht-pih-malawi-app and Malawi-DCCMS/daily-register still have it.
    const ps = run({ transitions: { update_sent_forms: true } });
    expect(brief(ps)).toEqual(['error sms/unknown-transition transitions.update_sent_forms']);
    expect(ps[0]?.message).toContain("'update_sent_forms' is not a cht-core transition (cht-core 4.0 removed it)");
    expect(ps[0]?.hint).toBe('Remove it from transitions: it does nothing since cht-core 4.0, even set to false.');
    expect(ps[0]?.suggestion).toBeUndefined();
  });

  it('knows create_user_for_contacts only from 4.1, saying which version it assumed', () => {
    const settings = { transitions: { create_user_for_contacts: { client_side: false } }, token_login: { enabled: true }, app_url: 'https://x.example' };
    expect(brief(run(settings, '4.1'))).toEqual([]);
    const ps = run(settings, '4.0');
    expect(brief(ps)).toEqual(['error sms/unknown-transition transitions.create_user_for_contacts']);
    expect(ps[0]?.message).toContain('added in 4.1');
    expect(ps[0]?.hint).toContain('cht-core 4.0 (from --core-version)');
  });

  it("warns about a deprecated transition with cht-core's message, only when enabled", () => {
    const ps = run({ transitions: { generate_patient_id_on_people: true } });
    expect(brief(ps)).toEqual(['warning sms/deprecated-transition transitions.generate_patient_id_on_people']);
    expect(ps[0]?.message).toBe('generate_patient_id_on_people transition is deprecated since 3.8.x. Please use "generate_shortcode_on_contacts" transition instead.');
    expect(run({ transitions: { update_notifications: false } })).toEqual([]);
  });

  it('rejects transitions that are not an object', () => {
    const ps = run({ transitions: ['registration'] });
    expect(brief(ps)).toEqual(['error sms/transitions-not-object transitions']);
    expect(ps[0]?.message).toContain("'0'");
  });
});

describe('transitions: values', () => {
  it('flags the string "false", which cht-core treats as on', () => {
    const ps = run({ transitions: { update_sent_by: 'false' } });
    expect(brief(ps)).toEqual(['error sms/transition-value transitions.update_sent_by']);
    expect(ps[0]?.message).toContain('ON');
  });

  it('warns about other strings, numbers and a non-boolean disable', () => {
    expect(brief(run({ transitions: { update_sent_by: 'yes' } }))).toEqual(['warning sms/transition-value transitions.update_sent_by']);
    expect(brief(run({ transitions: { update_sent_by: 0 } }))).toEqual(['warning sms/transition-value transitions.update_sent_by']);
    expect(brief(run({ transitions: { update_sent_by: { disable: 'no' } } }))).toEqual(['error sms/transition-value transitions.update_sent_by.disable']);
  });
});

describe('transitions: start-up requirements (one failure disables all)', () => {
  it('death_reporting needs mark_deceased_forms', () => {
    const ps = run({ transitions: { death_reporting: true } });
    expect(brief(ps)).toEqual(['error sms/transition-config-missing transitions.death_reporting']);
    expect(ps[0]?.message).toContain('no transition at all');
    expect(brief(run({ transitions: { death_reporting: true }, death_reporting: { mark_deceased_forms: [] } }))).toEqual([
      'error sms/transition-config-missing death_reporting.mark_deceased_forms',
    ]);
    expect(run({ transitions: { death_reporting: true }, death_reporting: { mark_deceased_forms: ['death_report'] } })).toEqual([]);
  });

  it('muting needs mute_forms', () => {
    const ps = run({ transitions: { muting: true }, muting: { unmute_forms: ['X'] } });
    expect(brief(ps)).toEqual(['error sms/transition-config-missing muting.mute_forms']);
    expect(ps[0]?.target).toBe('missing');
  });

  it('registration needs a registrations array', () => {
    expect(brief(run({ transitions: { registration: true } }))).toEqual(['error sms/transition-config-missing transitions.registration']);
    expect(brief(run({ transitions: { registration: true }, registrations: {} }))).toEqual(['error sms/transition-config-missing registrations']);
  });

  it('multi_report_alerts needs an array', () => {
    expect(brief(run({ transitions: { multi_report_alerts: true } }))).toEqual(['error sms/transition-config-missing transitions.multi_report_alerts']);
    expect(run({ transitions: { multi_report_alerts: true }, multi_report_alerts: [] })).toEqual([]);
  });

  it('create_user_for_contacts needs token login and app_url, and replace_forms when it runs in the webapp', () => {
    const ps = run({ transitions: { create_user_for_contacts: true } });
    expect(brief(ps)).toEqual([
      'error sms/transition-config-missing transitions.create_user_for_contacts',
      'error sms/transition-config-missing transitions.create_user_for_contacts',
      'warning sms/transition-config-missing transitions.create_user_for_contacts',
    ]);
    expect(
      run({
        transitions: { create_user_for_contacts: true },
        token_login: { enabled: true },
        app_url: 'https://x.example',
        create_user_for_contacts: { replace_forms: ['replace_user'] },
      }),
    ).toEqual([]);
  });

  it('default_responses needs a start_date', () => {
    expect(brief(run({ transitions: { default_responses: true } }))).toEqual(['error sms/default-responses-start-date transitions.default_responses']);
    expect(brief(run({ transitions: { default_responses: true }, default_responses: { start_date: ' ' } }))).toEqual([
      'error sms/default-responses-start-date default_responses.start_date',
    ]);
    expect(run({ transitions: { default_responses: true }, default_responses: { start_date: '2024-01-01' } })).toEqual([]);
  });

  it('ignores the requirements of a disabled transition', () => {
    expect(run({ transitions: { death_reporting: { disable: true }, muting: false } })).toEqual([]);
  });
});

describe('transitions: loaded but inert or harmful', () => {
  it('warns about transitions with nothing to do', () => {
    expect(brief(run({ transitions: { mark_for_outbound: true, accept_patient_reports: true, conditional_alerts: true }, alerts: [] }))).toEqual([
      'warning sms/transition-inert transitions.mark_for_outbound',
      'warning sms/transition-inert transitions.accept_patient_reports',
      'warning sms/transition-inert transitions.conditional_alerts',
    ]);
  });

  it('warns about registration with an empty registrations array (a missing one is a start-up error)', () => {
    expect(brief(run({ transitions: { registration: true }, registrations: [] }))).toEqual(['warning sms/transition-inert transitions.registration']);
  });

  it('does not call update_clinics inert without configuration (it attaches contacts by phone)', () => {
    expect(run({ transitions: { update_clinics: true } })).toEqual([]);
  });

  it('warns whenever resolve_pending is enabled', () => {
    expect(brief(run({ transitions: { resolve_pending: true } }))).toEqual(['warning sms/resolve-pending transitions.resolve_pending']);
    expect(run({ transitions: { resolve_pending: false } })).toEqual([]);
  });
});
