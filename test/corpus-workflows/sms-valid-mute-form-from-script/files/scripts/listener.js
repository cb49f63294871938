// An integration's listener: a case closed in the EMR mutes the patient in the CHT.
const muteReport = (patientId, now) => ({
  type: 'data_record',
  content_type: 'xml',
  form: 'trigger_muting',
  fields: { patient_id: patientId },
  reported_date: now,
});

module.exports = { muteReport };
