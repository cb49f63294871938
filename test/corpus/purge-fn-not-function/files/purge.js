module.exports = { fn: 'return [];' };
