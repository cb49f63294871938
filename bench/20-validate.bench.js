// validate-app-settings on fixtures/example-app and on a generated 60-task / 30-target project: whole process,
// and the part after Node's own start (the whole minus `node -e 0`, timed the same way). Targets: < 100 ms after
// Node start, < 250 ms for the whole process.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmtMs, fmtRow, ROOT, single } from './lib/measure.js';

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

export default async function validateBench() {
  const work = path.join(ROOT, '.bench-work', 'validate');
  const example = path.join(work, 'example-app');
  const generated = path.join(work, 'generated-60-30');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(path.join(ROOT, 'fixtures', 'example-app'), example, { recursive: true });
  generate(generated);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const cht = (dir) => ({ args: [path.join(ROOT, 'bin', 'cht.js'), `--source=${dir}`, 'validate-app-settings'] });
  const node = await single({ cmd: { args: ['-e', '0'] }, runs });
  const results = {
    node,
    example: await single({ cmd: cht(example), runs }),
    generated: await single({ cmd: cht(generated), runs }),
  };
  console.log(fmtRow('node -e 0 (Node start)', node));
  for (const [label, key] of [['validate, example-app', 'example'], ['validate, generated 60 tasks/30 targets', 'generated']]) {
    const r = results[key];
    console.log(fmtRow(label, r));
    console.log(`${''.padEnd(34)} after Node start: ${fmtMs(r.medianMs - node.medianMs)} (target < 100 ms); whole process target < 250 ms`);
  }
  rmSync(work, { recursive: true, force: true });
  return results;
}
