#!/usr/bin/env node
// Tiny launcher: check the runtime, hand over to dist/ (src/cli/launch.ts: compiled code cached where Node can).
// CommonJS (bin/package.json): Node then starts without its ES module loader, ~10 ms sooner on every run.
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`chtkit needs Node.js 20.19 or newer; this is ${process.version}.\n`);
  process.exitCode = 1;
} else {
  require('../dist/cli/launch.cjs')
    .launch({
      argv: process.argv.slice(2),
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
    })
    .then((code) => {
      process.exitCode = code;
    });
}
