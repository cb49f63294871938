// A generated population for the dry-run benchmarks, in the harness.defaults.json shape, for
// fixtures/example-app: households (clinics) of a few members under one health centre, with realistic reports —
// pregnancies and ANC visits, deliveries and postnatal visits, child registrations with immunization schedules,
// sick-child assessments, household surveys and the odd death. Deterministic (seeded), so runs are comparable.

const DAY = 24 * 60 * 60 * 1000;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same sequence. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * `contacts` contacts in all (households count as contacts), reports spread over the year before and the
 * year of `start` (ms). Returns { user, userRoles, subject, docs }.
 */
export function population({ contacts, start, seed = 42 }) {
  const random = rng(seed);
  const pick = (n) => Math.floor(random() * n);
  const chance = (p) => random() < p;
  const docs = [
    { _id: 'hc-1', type: 'health_center', name: 'Health Centre', reported_date: start - 800 * DAY },
    { _id: 'chw-1', type: 'person', name: 'CHW', role: 'chw', parent: { _id: 'hc-1' }, reported_date: start - 800 * DAY },
  ];
  let id = 0;
  let remaining = contacts - 2;
  const report = (form, patient, date, fields = {}, extra = {}) => docs.push({
    _id: `r-${++id}`, type: 'data_record', form, content_type: 'xml', reported_date: date,
    contact: { _id: 'chw-1', parent: { _id: 'hc-1' } }, fields: { patient_id: patient, ...fields }, ...extra,
  });
  for (let h = 0; remaining > 0; h++) {
    const household = `hh-${h}`;
    const registered = start - 700 * DAY + pick(900) * DAY;
    docs.push({ _id: household, type: 'clinic', name: `Household ${h}`, parent: { _id: 'hc-1' }, reported_date: registered });
    remaining--;
    if (chance(0.5)) docs.push({ _id: `hs-${h}`, type: 'data_record', form: 'household_survey', reported_date: registered + pick(300) * DAY, fields: { place_id: household } });
    const size = Math.min(remaining, 2 + pick(5));
    for (let m = 0; m < size; m++) {
      const person = `p-${h}-${m}`;
      const adult = m < 2;
      const dob = adult ? start - (18 + pick(40)) * 365 * DAY : start - pick(8 * 365) * DAY;
      docs.push({
        _id: person, type: 'person', name: `Person ${h}.${m}`, date_of_birth: iso(dob),
        parent: { _id: household, parent: { _id: 'hc-1' } }, reported_date: Math.max(registered, dob + DAY),
      });
      remaining--;
      const age = (start - dob) / (365 * DAY);
      if (adult && m === 1 && age < 45 && chance(0.3)) {
        const pregnant = start - 200 * DAY + pick(400) * DAY;
        report('pregnancy', person, pregnant, { weeks_since_lmp: 6 + pick(20), risk_factors: chance(0.2) ? 'hypertension' : 'none' });
        for (let v = 1; v <= 4; v++) if (chance(0.7)) report('pregnancy_visit', person, pregnant + v * 50 * DAY, { danger_signs: chance(0.1) ? 'bleeding' : 'none' });
        if (chance(0.6)) {
          const delivered = pregnant + (150 + pick(60)) * DAY;
          report('delivery', person, delivered, { outcome: chance(0.95) ? 'live_birth' : 'stillbirth', delivery_place: chance(0.7) ? 'health_facility' : 'home' });
          if (chance(0.6)) report('pnc_visit', person, delivered + DAY);
        }
      }
      if (!adult && age < 5) {
        if (chance(0.5)) {
          const registeredChild = dob + 5 * DAY;
          report('child_registration', person, registeredChild, {}, {
            scheduled_tasks: [6, 10, 14, 39].map((weeks) => ({
              due: new Date(dob + weeks * 7 * DAY).toISOString(), group: 'immunization', state: chance(0.1) ? 'cleared' : 'scheduled',
            })),
          });
        }
        for (let a = 0; a < 2; a++) {
          if (chance(0.4)) report('assessment', person, start - 100 * DAY + pick(400) * DAY, { referred: chance(0.2) ? 'yes' : 'no', danger_signs: chance(0.1) ? 'fever' : 'none' });
        }
      }
      if (adult && age > 55 && chance(0.02)) report('death_report', person, start + pick(300) * DAY);
    }
  }
  return { user: 'chw-1', userRoles: ['chw'], subject: 'chw-1', docs };
}

/**
 * `patients` patients for fixtures/example-app: pregnant women, postnatal mothers and children under five,
 * about four to a household, the households under one CHW's area (a health centre). Every patient has the
 * reports that make the app's tasks: a pregnancy with some ANC visits (and no delivery yet, so the pregnancy
 * stays active), a delivery with the pregnancy before it and some postnatal visits, a child registration with
 * its immunization schedule and sick-child assessments. Dates are spread so that the year starting at `start`
 * (ms) has tasks on every day. About 1.25 contacts per patient (households, the CHW and the health centre
 * added); 10,000 patients (seed 10,000) give 12,503 contacts, 22,740 reports and 866,575 Ready task-days
 * over that year in Africa/Nairobi. Deterministic (seeded).
 * Returns { user, userRoles, subject, docs }.
 */
export function patientPopulation({ patients, start, seed = 42 }) {
  const random = rng(seed);
  const pick = (n) => Math.floor(random() * n);
  const chance = (p) => random() < p;
  const between = (fromDay, toDay) => start + (fromDay + pick(toDay - fromDay + 1)) * DAY;
  const docs = [
    { _id: 'hc-1', type: 'health_center', name: 'CHW area', reported_date: start - 800 * DAY, contact: { _id: 'chw-1' } },
    { _id: 'chw-1', type: 'person', name: 'CHW', role: 'chw', parent: { _id: 'hc-1' }, reported_date: start - 800 * DAY },
  ];
  let id = 0;
  const report = (form, patient, date, fields = {}, extra = {}) => docs.push({
    _id: `r-${++id}`, type: 'data_record', form, content_type: 'xml', reported_date: date,
    contact: { _id: 'chw-1', parent: { _id: 'hc-1' } }, fields: { patient_id: patient, ...fields }, ...extra,
  });
  const person = (household, index, name, dob, registered, extra = {}) => {
    const _id = `p-${household}-${index}`;
    docs.push({
      _id, type: 'person', name, date_of_birth: iso(dob), parent: { _id: `hh-${household}`, parent: { _id: 'hc-1' } },
      reported_date: registered, ...extra,
    });
    return _id;
  };

  // The mix: 45% pregnant women, 11% postnatal mothers, 44% children under five.
  const pregnant = (household, index) => {
    const registered = between(-600, -200);
    const p = person(household, index, `Woman ${household}.${index}`, start - (17 + pick(25)) * 365 * DAY, registered, { sex: 'female' });
    // Registered in pregnancy week 6-24, between 5 months before the year and 10 months into it.
    const weeks = 6 + pick(19);
    const reported = between(-180, 240);
    report('pregnancy', p, reported, { weeks_since_lmp: weeks, risk_factors: chance(0.15) ? 'hypertension' : 'none' });
    // ANC visits: about one due visit in four is made (each resolves its task for the rest of its window).
    const lmp = reported - weeks * 7 * DAY;
    for (const week of [12, 20, 26, 30, 34, 38]) {
      const due = lmp + week * 7 * DAY;
      if (due > reported && chance(0.25)) report('pregnancy_visit', p, due - pick(7) * DAY, { danger_signs: chance(0.08) ? 'bleeding' : 'none' });
    }
  };

  const postnatal = (household, index) => {
    const registered = between(-700, -300);
    const p = person(household, index, `Mother ${household}.${index}`, start - (17 + pick(25)) * 365 * DAY, registered, { sex: 'female' });
    const delivered = between(-20, 360);
    const reported = delivered - (170 + pick(60)) * DAY;
    report('pregnancy', p, reported, { weeks_since_lmp: 8 + pick(12), risk_factors: 'none' });
    if (chance(0.5)) report('pregnancy_visit', p, reported + 60 * DAY, { danger_signs: 'none' });
    report('delivery', p, delivered, { outcome: chance(0.97) ? 'live_birth' : 'stillbirth', delivery_place: chance(0.7) ? 'health_facility' : 'home' });
    if (chance(0.5)) report('pnc_visit', p, delivered + DAY);
  };

  const child = (household, index) => {
    // Newborns of the year and children up to five, registered at birth or at a later visit.
    const newborn = chance(0.45);
    const dob = newborn ? between(-120, 330) : start - (120 + pick(4 * 365)) * DAY;
    const registered = newborn ? dob + 5 * DAY : Math.max(dob + 5 * DAY, between(-330, 200));
    const p = person(household, index, `Child ${household}.${index}`, dob, registered, { sex: chance(0.5) ? 'female' : 'male' });
    if (newborn || chance(0.3)) {
      report('child_registration', p, registered, {}, {
        scheduled_tasks: [6, 10, 14, 39].map((weeks) => ({
          due: new Date(dob + weeks * 7 * DAY).toISOString(), group: 'immunization', state: chance(0.1) ? 'cleared' : 'scheduled',
        })),
      });
    }
    for (let a = pick(3); a > 0; a--) {
      report('assessment', p, between(-60, 360), { referred: chance(0.25) ? 'yes' : 'no', danger_signs: chance(0.15) ? 'fever' : 'none' });
    }
  };

  let made = 0;
  for (let h = 0; made < patients; h++) {
    const registered = between(-900, -400);
    docs.push({ _id: `hh-${h}`, type: 'clinic', name: `Household ${h}`, parent: { _id: 'hc-1' }, reported_date: registered });
    if (chance(0.8)) docs.push({ _id: `hs-${h}`, type: 'data_record', form: 'household_survey', content_type: 'xml', reported_date: between(-200, 100), fields: { place_id: `hh-${h}` } });
    const size = Math.min(patients - made, 2 + pick(5));
    for (let m = 0; m < size; m++, made++) {
      const kind = random();
      if (kind < 0.45) pregnant(h, m);
      else if (kind < 0.56) postnatal(h, m);
      else child(h, m);
    }
  }
  return { user: 'chw-1', userRoles: ['chw'], subject: 'chw-1', docs };
}
