module.exports = {
  needsFollowUp: function (report) {
    return !!report.fields && report.fields.needs_follow_up === 'yes'
  }
  isAdult: function () {
    return true;
  },
};
