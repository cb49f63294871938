#!/usr/bin/env node
// Tiny launcher: check the runtime, hand over to dist/ (src/cli/launch.ts: compiled code cached where Node can).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`chtkit needs Node.js 20.19 or newer; this is ${process.version}.\n`);
  process.exitCode = 1;
} else {
  const { launch } = await import('../dist/cli/launch.js');
  process.exitCode = await launch({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
