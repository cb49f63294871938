// Runs cht-conf-test-harness 5.0.4 (cht-core 4.11's real rules engine) for a list of instants, in a child
// process whose TZ is set by the parent. Never starts a browser: getTasks/getTargets do not need one.
//
// Input (a JSON file named by argv[2]): { appSettingsPath, harnessDataPath, days: [{date, timestamp}],
// months: [{month, timestamp}], checks, asReported, reportIds, output }. With asReported, the harness's state holds only the
// docs reported by each instant (as `cht dry-run-tasks --as-reported` does). Writes { days: [{date, tasks}], months: [{month, targets}],
// mismatches } to `output` (stdout is left to the harness's console noise).
//
// Speed: a harness.clear() costs ~0.4 s (a new PouchDB whose views are rebuilt), so the instants are evaluated
// latest first on one harness (cleared every 20 days). cht-core marks every contact dirty when its clock is earlier than their last
// calculation and ignores task docs authored "in the future", so each call recomputes every contact from
// scratch through the public API. `checks` instants are re-run after a clear() and any difference is reported
// in `mismatches`, so the shortcut is verified on every run.
//
// Ids: pushMockedDoc gives a report without `_id` a random uuid, anew at every clear(); chtkit names it after its
// file and position. `reportIds` lists chtkit's ids of the docs the harness holds as reports, in its order
// (`harness.state.reports`), and every uuid in the results is replaced by chtkit's id for the same doc.
const fs = require('node:fs');
const path = require('node:path');

// PouchDB (the harness's in-memory CouchDB) runs every view map function call in a brand-new vm context, which
// is most of the harness's time here. The medic-client map functions are pure, so one shared context gives the
// same index rows, several times faster.
const vm = require('node:vm');
const sharedContext = vm.createContext({});
const runInNewContext = vm.runInNewContext;
vm.runInNewContext = (code, context, options) =>
  context === undefined ? vm.runInContext(code, sharedContext, options) : runInNewContext(code, context, options);

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const Harness = require('cht-conf-test-harness');
  const harness = new Harness({
    directory: path.dirname(spec.appSettingsPath),
    appSettingsPath: spec.appSettingsPath,
    harnessDataPath: spec.harnessDataPath,
  });
  // harness.setNow() is sinon.useFakeTimers(now): it also freezes setTimeout/setImmediate, which stalls PouchDB
  // for a while on every call. Faking Date alone gives the rules engine the same clock.
  const FakeTimers = require('@sinonjs/fake-timers');
  const clock = FakeTimers.install({ now: 0, toFake: ['Date'] });
  const setNow = (timestamp) => clock.setSystemTime(timestamp);
  const latestFirst = (list) => [...list].sort((a, b) => b.timestamp - a.timestamp);
  let all;
  let renamed = [];
  const clear = async () => {
    await harness.clear();
    all = { contacts: [...harness.state.contacts], reports: [...harness.state.reports] };
    renamed = [];
    if (!spec.reportIds) return;
    if (all.reports.length !== spec.reportIds.length) {
      throw new Error(`the harness holds ${all.reports.length} reports, chtkit ${spec.reportIds.length}: ${JSON.stringify(all.reports.map((r) => r._id))}`);
    }
    all.reports.forEach((report, i) => {
      if (report._id !== spec.reportIds[i]) renamed.push([report._id, spec.reportIds[i]]);
    });
  };
  // uuids are 36 characters of hex and dashes: replacing them in the JSON text cannot touch anything else.
  const translate = (value) => {
    if (!renamed.length) return value;
    let text = JSON.stringify(value);
    for (const [from, to] of renamed) text = text.split(from).join(to);
    return JSON.parse(text);
  };
  const at = (timestamp) => {
    setNow(timestamp);
    if (!spec.asReported) return;
    const visible = (doc) => typeof doc.reported_date !== 'number' || doc.reported_date <= timestamp;
    harness.state.contacts.splice(0, Infinity, ...all.contacts.filter(visible));
    harness.state.reports.splice(0, Infinity, ...all.reports.filter(visible));
  };
  const result = { days: [], months: [], mismatches: [] };

  // Task docs pile up (every call writes a fresh set), which slows the views down: start afresh every 20 days.
  const tasksAt = new Map();
  const ordered = latestFirst(spec.days);
  ordered.forEach((day, i) => (day.fresh = i % 20 === 0));
  for (const day of ordered) {
    if (day.fresh) await clear();
    at(day.timestamp);
    tasksAt.set(day.date, translate(await harness.getTasks()));
  }
  const targetsAt = new Map();
  await clear();
  for (const month of latestFirst(spec.months)) {
    at(month.timestamp);
    targetsAt.set(month.month, translate(await harness.getTargets()));
  }
  const comparable = (tasks) => JSON.stringify(tasks.map((t) => ({ ...t, _id: undefined, _rev: undefined, authoredOn: undefined, stateHistory: undefined })));
  for (const date of spec.checks || []) {
    const day = spec.days.find((d) => d.date === date);
    await clear();
    at(day.timestamp);
    const fresh = translate(await harness.getTasks());
    if (comparable(fresh) !== comparable(tasksAt.get(date))) {
      result.mismatches.push({ date, fresh, latestFirst: tasksAt.get(date) });
    }
  }
  await harness.clear();
  clock.uninstall();
  for (const day of spec.days) result.days.push({ date: day.date, tasks: tasksAt.get(day.date) });
  for (const month of spec.months) result.months.push({ month: month.month, targets: targetsAt.get(month.month) });
  fs.writeFileSync(spec.output, JSON.stringify(result));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
