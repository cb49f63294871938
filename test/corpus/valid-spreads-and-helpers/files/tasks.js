const FORM_TASK = {
  icon: 'icon-follow-up',
  appliesTo: 'reports',
  events: [{ id: 'follow-up', days: 3, start: 1, end: 3 }],
};

function followUp(form, days) {
  return Object.assign({}, FORM_TASK, {
    name: form + '-follow-up',
    title: 'task.' + form + '_follow_up.title',
    appliesToType: [form],
    actions: [{ form: 'follow_up' }],
    events: [{ id: 'follow-up', days: days, start: 1, end: 3 }],
  });
}

const personCheck = {
  name: 'person-check',
  title: 'task.person_check.title',
  appliesTo: 'contacts',
  appliesToType: ['person'],
  actions: [{ form: 'visit' }],
};

module.exports = [
  followUp('visit', 3),
  followUp('delivery', 7),
  { ...personCheck, events: [{ id: 'q1', days: 90, start: 7, end: 14 }, { id: 'q2', days: 180, start: 7, end: 14 }] },
  { ...FORM_TASK, name: 'visit-reminder', title: 'task.visit_reminder.title', appliesToType: ['visit'], actions: [{ form: 'visit' }] },
];
