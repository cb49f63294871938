module.exports = {
  fn: function () {
    return [];
  },
};
