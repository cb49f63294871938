// Generated config projects for the benchmarks, and for the build's code cache (scripts/build-cli-bundle.js runs
// validate-app-settings on the SMS-heavy one, so the cache it ships covers the workflow checks too).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FORMS = ['visit', 'delivery', 'pnc_visit', 'immunization', 'referral', 'nutrition'];

function task(i) {
  const form = FORMS[i % FORMS.length];
  const byContact = i % 3 === 0;
  const events = [0, 1, 2].slice(0, 1 + (i % 3)).map((e) => `{ id: 'e${e}', days: ${7 * (e + 1)}, start: 2, end: 3 }`);
  return `  {
    name: 'task-${i}',
    icon: 'icon-${form}',
    title: 'task.${form}.title_${i}',
    appliesTo: '${byContact ? 'contacts' : 'reports'}',
    appliesToType: ['${byContact ? 'person' : form}'],
    appliesIf: function (contact, report) {
      return ${byContact ? `!!contact.contact && contact.contact.age_group === '${i % 5}'` : `getField(report, 'follow_up_${i}') === 'yes'`};
    },
    actions: [{ form: '${FORMS[(i + 1) % FORMS.length]}', label: 'task.action.${i}', modifyContent: function (content, contact, report) { content.source_${i} = report ? report._id : contact.contact._id; } }],
    events: [${events.join(', ')}],
    priority: { level: '${i % 2 ? 'high' : 'medium'}', label: 'task.priority.${i}' },
  },`;
}

function target(i) {
  const percent = i % 2 === 1;
  return `  {
    id: 'target-${i}',
    type: '${percent ? 'percent' : 'count'}',
    icon: 'icon-target-${i}',
    goal: ${percent ? 80 : -1},
    translation_key: 'targets.t${i}.title',
    appliesTo: 'reports',
    appliesToType: ['${FORMS[i % FORMS.length]}'],
    idType: 'report',
${percent ? `    passesIf: function (contact, report) {\n      return getField(report, 'outcome') === 'done';\n    },\n` : ''}    date: '${i % 3 ? 'reported' : 'now'}',
  },`;
}

export function generate(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'app_settings'), { recursive: true });
  mkdirSync(path.join(dir, 'forms', 'app'), { recursive: true });
  // Its own package.json: inside this repository, files would otherwise count as ES modules ("type": "module").
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'generated-60-30', private: true }, null, 2));
  writeFileSync(path.join(dir, 'app_settings', 'base_settings.json'), JSON.stringify({ locale: 'en' }, null, 2));
  writeFileSync(path.join(dir, 'contact-summary.templated.js'), 'module.exports = { fields: [], cards: [], context: {} };\n');
  const helper = 'function getField(report, key) {\n  return report && report.fields ? report.fields[key] : undefined;\n}\n\n';
  writeFileSync(path.join(dir, 'tasks.js'), `${helper}module.exports = [\n${Array.from({ length: 60 }, (_, i) => task(i)).join('\n')}\n];\n`);
  writeFileSync(path.join(dir, 'targets.js'), `${helper}module.exports = [\n${Array.from({ length: 30 }, (_, i) => target(i)).join('\n')}\n];\n`);
  for (const form of FORMS) {
    writeFileSync(
      path.join(dir, 'forms', 'app', `${form}.xml`),
      `<?xml version="1.0"?>\n<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><model><instance><${form} id="${form}"/></instance></model></h:head><h:body/></h:html>\n`,
    );
  }
}

/** The generated 60/30 project with SMS workflows: 50 registrations, 30 schedules, 10 outbound pushes. */
export function generateSms(dir) {
  generate(dir);
  const forms = {};
  const registrations = [];
  const schedules = [];
  const translations = [];
  for (let i = 0; i < 50; i++) {
    const code = `R${i}`;
    forms[code] = {
      meta: { code, icon: 'icon-pregnancy', translation_key: `form.registration_${i}.title` },
      fields: {
        patient_name: { labels: { tiny: { en: 'N' }, short: { en: 'Name' } }, position: 0, type: 'string', length: [1, 30], required: true },
        lmp: { labels: { tiny: { en: 'LMP' }, short: { en: 'Weeks since LMP' } }, position: 1, type: 'integer', range: [0, 40], required: true },
      },
    };
    const schedule = `schedule-${i % 30}`;
    registrations.push({
      form: code,
      events: [
        { name: 'on_create', trigger: 'add_patient', params: '', bool_expr: '' },
        { name: 'on_create', trigger: 'add_expected_date', params: '', bool_expr: 'doc.fields.lmp' },
        { name: 'on_create', trigger: 'assign_schedule', params: schedule, bool_expr: '' },
      ],
      validations: {
        join_responses: true,
        list: [
          { property: 'patient_name', rule: 'lenMin(1) && lenMax(30)', translation_key: 'messages.validation.patient_name' },
          { property: 'lmp', rule: 'min(0) && max(40)', translation_key: 'messages.validation.lmp' },
        ],
      },
      messages: [{ event_type: 'report_accepted', recipient: 'reporting_unit', translation_key: `messages.registration.${i}` }],
    });
    translations.push(`messages.registration.${i}=Thank you {{contact.name}}, {{patient_name}} is registered.`);
  }
  for (let i = 0; i < 30; i++) {
    schedules.push({
      name: `schedule-${i}`,
      summary: '',
      description: '',
      start_from: 'lmp_date',
      messages: [1, 2, 3, 4].map((g) => ({
        translation_key: `messages.schedule.${i}.${g}`,
        group: g,
        offset: `${8 + 4 * g} weeks`,
        send_day: g === 4 ? 'monday' : '',
        send_time: '09:00',
        recipient: 'reporting_unit',
      })),
    });
    for (const g of [1, 2, 3, 4]) translations.push(`messages.schedule.${i}.${g}=Please remind {{patient_name}} of visit ${g}.`);
  }
  translations.push('messages.validation.patient_name=Give the name.', 'messages.validation.lmp=Give the weeks since LMP.');
  const outbound = {};
  for (let i = 0; i < 10; i++) {
    outbound[`push-${i}`] = {
      relevant_to: `doc.type === 'data_record' && doc.form === 'R${i}'`,
      destination: { base_url: `https://hmis-${i}.example.org`, path: '/api/cases', auth: { type: 'basic', username: 'chtkit', password_key: `hmis-${i}` } },
      mapping: { id: 'doc._id', name: 'doc.fields.patient_name', weeks: { path: 'doc.fields.lmp', optional: true }, at: { expr: 'new Date(doc.reported_date).toISOString()' } },
    };
  }
  const settings = {
    locale: 'en',
    locale_outgoing: 'en',
    transitions: { registration: true, update_clinics: true, mark_for_outbound: true },
    contact_types: [
      { id: 'clinic', name_key: 'contact.type.clinic', group_key: 'contact.type.clinic.plural', create_key: 'contact.type.clinic.new', edit_key: 'contact.type.place.edit', icon: 'medic-clinic', create_form: 'form:contact:clinic:create' },
      { id: 'person', name_key: 'contact.type.person', group_key: 'contact.type.person.plural', create_key: 'contact.type.person.new', edit_key: 'contact.type.person.edit', parents: ['clinic'], icon: 'medic-person', create_form: 'form:contact:person:create', person: true },
    ],
    registrations,
    outbound,
  };
  writeFileSync(path.join(dir, 'app_settings', 'base_settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(path.join(dir, 'app_settings', 'forms.json'), JSON.stringify(forms, null, 2));
  writeFileSync(path.join(dir, 'app_settings', 'schedules.json'), JSON.stringify(schedules, null, 2));
  mkdirSync(path.join(dir, 'translations'), { recursive: true });
  writeFileSync(path.join(dir, 'translations', 'messages-en.properties'), `${translations.join('\n')}\n`);
}
