module.exports = {
  run_every_days: 7,
  fn: function (userCtx, contact, reports) {
    return reports.filter(function (r) { return r.form === 'visit' }).map(function (r) { return r._id; };
  },
};
