function (userCtx, contact, reports) { return []; }
