module.exports = [
  {
    id: 'visits-this-month',
    type: 'count',
    icon: 'icon-visit',
    goal: -1,
    translation_key: 'targets.visits.title',
    subtitle_translation_key: 'targets.this_month.subtitle',
    appliesTo: 'reports',
    appliesToType: ['visit'],
    idType: 'report',
    date: 'reported',
  },
  {
    id: 'people-followed-up',
    type: 'percent',
    icon: 'icon-person',
    goal: 80,
    translation_key: 'targets.followed_up.title',
    appliesTo: 'contacts',
    appliesToType: ['person'],
    passesIf: function (contact) {
      return contact.reports.some(function (r) {
        return r.form === 'follow_up';
      });
    },
    date: 'now',
  },
];
