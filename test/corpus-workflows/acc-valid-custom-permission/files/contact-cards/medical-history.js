// A contact summary card only users granted the project's own permission see.
module.exports = function medicalHistoryCard() {
  return {
    label: 'contact.profile.medical_history',
    appliesToType: 'person',
    appliesIf: function () {
      return cht.v1.hasPermissions('can_view_medical_history');
    },
    fields: [],
  };
};
