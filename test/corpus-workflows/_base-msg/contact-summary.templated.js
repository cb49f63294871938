const isPerson = contact.type === 'person';

module.exports = {
  fields: [
    { appliesToType: 'person', label: 'contact.age', value: contact.date_of_birth, width: 4 },
  ],
  cards: [],
  context: {
    is_person: isPerson,
    visits: reports.filter(function (r) {
      return r.form === 'visit';
    }).length,
  },
};
