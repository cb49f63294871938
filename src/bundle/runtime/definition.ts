/* eslint-disable @typescript-eslint/no-explicit-any -- this code runs inside the compiled rules over user-shaped data */
/**
 * Gives every function of one task or target definition the same `this`, whose `this.definition` is a copy
 * of the definition (cht-conf 6.6.1 src/nools/definition-preparation.js). Functions are bound in place, nested objects included, so a nested
 * object shared by two definitions keeps the `this` of the first one prepared (binding a bound function does
 * not rebind it) — cht-core configs rely on that behaviour, so it is kept.
 */
export function prepareDefinition(definition: any): void {
  const context: any = {};
  bindFunctions(definition, context);
  context.definition = copyDefinition(definition);
}

function bindFunctions(obj: any, context: any): void {
  // Object.keys(null) throws, as it does in cht-conf: a null anywhere in a definition aborts the batch.
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (typeof value === 'object') bindFunctions(value, context);
    else if (typeof value === 'function') obj[key] = value.bind(context);
  }
}

/** A copy where arrays are sliced and objects (null included, which becomes {}) are copied recursively. */
function copyDefinition(obj: any): any {
  const copy: any = Object.assign({}, obj);
  for (const key of Object.keys(copy)) {
    const value = copy[key];
    if (Array.isArray(value)) {
      const items = value.slice(0);
      for (let j = 0; j < items.length; ++j) {
        if (typeof items[j] === 'object') items[j] = copyDefinition(items[j]);
      }
      copy[key] = items;
    } else if (typeof value === 'object') {
      copy[key] = copyDefinition(value);
    }
  }
  return copy;
}
