module.exports = function () {
  return [];
};
