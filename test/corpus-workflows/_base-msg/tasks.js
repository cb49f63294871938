module.exports = [
  {
    name: 'visit-follow-up',
    icon: 'icon-follow-up',
    title: 'task.visit_follow_up.title',
    appliesTo: 'reports',
    appliesToType: ['visit'],
    appliesIf: function (contact, report) {
      return !!report.fields && report.fields.needs_follow_up === 'yes';
    },
    actions: [{ form: 'follow_up', label: 'task.visit_follow_up.action' }],
    events: [{ id: 'follow-up', days: 3, start: 1, end: 3 }],
  },
  {
    name: 'person-check',
    icon: 'icon-person',
    title: 'task.person_check.title',
    appliesTo: 'contacts',
    appliesToType: ['person'],
    actions: [{ form: 'visit' }],
    events: [
      { id: 'q1', days: 90, start: 7, end: 14 },
      { id: 'q2', days: 180, start: 7, end: 14 },
    ],
    resolvedIf: function (contact, report, event, dueDate) {
      return Utils.isFormSubmittedInWindow(
        contact.reports,
        'visit',
        Utils.addDate(dueDate, -event.start).getTime(),
        Utils.addDate(dueDate, event.end + 1).getTime()
      );
    },
  },
];
