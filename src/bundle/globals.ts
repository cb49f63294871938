/* eslint-disable @typescript-eslint/no-explicit-any -- stand-ins for the untyped globals of CHT rules code */
import { createRequire } from 'node:module';

/**
 * Stand-ins for the globals that config code sees on the phone, for loading tasks.js/targets.js in Node
 * (to read target metadata and validate definitions). `Utils` is the real cht-nootils.
 */
export function loadTimeGlobals(taskSchedules: unknown): { Utils: any; user: any; cht: any } {
  return {
    // Built on first use: most configs never touch Utils at load time, and cht-nootils pulls in underscore.
    Utils: lazy(() => createRequire(import.meta.url)('cht-nootils')({ tasks: { schedules: taskSchedules } })),
    user: { _id: 'chtkit-load-user', type: 'person', name: 'chtkit', parent: { _id: 'chtkit-load-place' } },
    cht: {
      v1: {
        hasPermissions: () => false,
        hasAnyPermission: () => false,
        getExtensionLib: () => undefined,
        analytics: { getTargetDocs: () => [] },
      },
    },
  };
}

function lazy(create: () => any): any {
  let target: any;
  const get = () => (target ??= create());
  return new Proxy({}, {
    get: (_t, key) => get()[key],
    has: (_t, key) => key in get(),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Object.getOwnPropertyDescriptor(get(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}
