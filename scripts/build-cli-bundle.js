// Bundles the CLI (dist/cli/main.js and every chtkit module it imports, npm packages left out) into one CommonJS
// file, dist/cli/cht.cjs, which bin/cht.js runs on Node 20 through a V8 code cache (src/cli/launch.ts): Node 20
// has no compile cache for ES modules (module.enableCompileCache came in 22.1), and compiling chtkit's ~80 modules
// afresh was a third of a validate-app-settings run. Runs after tsc in `npm run build`.
//
// The bundle must behave as the modules do: each module's `import.meta.url` becomes its own module's URL, worked
// out at run time from where the bundle is (so an installed chtkit finds its schemas, runtime modules and worker
// files next to it); npm packages are required or imported from node_modules exactly as the modules do. An
// `import('package')` becomes `__chtkitImport('package')`, a real import() the launcher passes in: Node 20 runs an
// import() inside code compiled with a code cache (vm.Script) only with an experimental flag or API.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'cli', 'cht.cjs');

/** `import.meta.url` of each dist module, relative to the bundle's own folder at run time. */
const moduleUrls = {
  name: 'chtkit-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST + path.sep)) return undefined; // a bundled package, as it is
      const text = readFileSync(args.path, 'utf8');
      const relative = path.relative(path.dirname(OUT), args.path).split(path.sep).join('/');
      const replaced = text
        // A bundled package that a module requires (to skip Node's export scan of a CommonJS package) is required
        // from the bundle.
        .replace(/\bcreateRequire\(import\.meta\.url\)\((['"])([^'"]+)\1\)/g, (call, q, name) => (BUNDLED.has(name) ? `require(${q}${name}${q})` : call))
        .replaceAll('import.meta.url', `__chtkitModuleUrl(${JSON.stringify(relative)})`)
        .replace(/\bimport\((['"])([^'"./][^'"]*)\1\)/g, '__chtkitImport($1$2$1)');
      if (/\bimport\.meta\b/.test(replaced)) throw new Error(`${args.path}: import.meta other than import.meta.url cannot be bundled`);
      return { contents: replaced, loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process when it loads, for subcommands that are separate executables, which chtkit
 * has none of; loading it (with net and dgram) took ~3 ms of every run. In the bundle, commander gets it on first use.
 */
const lazyChildProcess = {
  name: 'chtkit-lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'chtkit-lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'chtkit-lazy' }, () => ({
      contents: 'let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });\n',
      loader: 'js',
    }));
  },
};

/**
 * npm packages stay out of the bundle (required or imported from node_modules as by the modules), except the few
 * whose compiling is a measurable part of a short run: bundled, they come from the code cache too. commander
 * (every run), dot-properties (every validation: translations), acorn and acorn-walk (every validation that
 * reads scripts: outbound `relevant_to`, purge.js, the located errors of tasks.js).
 */
const BUNDLED = new Set(['acorn', 'acorn-walk', 'commander', 'dot-properties']);

function externalPackages() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies }).filter((n) => !BUNDLED.has(n));
  return [...names, ...names.map((n) => `${n}/*`)];
}

// The compile cache's identity of chtkit's compile code (src/bundle/cache-key.ts), worked out once here from the
// modules the bundle is made of, instead of by hashing them on every run.
const { chtkitIdentity } = await import(pathToFileURL(path.join(DIST, 'bundle', 'cache-key.js')).href);

const result = await build({
  entryPoints: [path.join(DIST, 'cli', 'main.js')],
  define: { __CHTKIT_COMPILE_IDENTITY__: JSON.stringify(chtkitIdentity()) },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: externalPackages(),
  write: false,
  outfile: OUT,
  plugins: [moduleUrls, lazyChildProcess],
  // 1.46 MB -> 1.04 MB read on every run (~5 ms of a validate-app-settings). Names are kept (no identifier
  // minifying): a bug report's stack still says which function failed.
  minifyWhitespace: true,
  banner: {
    js: 'const __chtkitModuleUrl = (relative) => require("node:url").pathToFileURL(require("node:path").join(__dirname, relative)).href;',
  },
  logLevel: 'warning',
});
const [out] = result.outputFiles;
if (!out) throw new Error('esbuild gave no output for the CLI bundle');
// ASCII only (esbuild escapes strings and names; what is left is in comments), so the launcher reads it as latin1: a
// one-byte string at once, where decoding UTF-8 took 7 ms of every run.
const text = out.text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
let left;
simple(parse(text, { ecmaVersion: 'latest', sourceType: 'script', locations: true }), {
  ImportExpression(node) {
    left ??= node;
  },
});
if (left) throw new Error(`the CLI bundle still has an import() the launcher cannot serve, at line ${left.loc.start.line}`);

// The first line names this build (its content's hash: V8 itself only compares a cached script's length) and the
// actions, so the launcher can keep one code cache per action list without loading anything.
const { ACTIONS } = await import(pathToFileURL(path.join(DIST, 'cli', 'actions', 'index.js')).href);
// The file is the function the launcher compiles, written out: a CommonJS module's wrapper plus the import() it
// serves (src/cli/launch.ts). Wrapping the text at run time made V8 flatten a second 1 MB string on every start,
// and fresh memory is what a short run pays most for (~3 ms per MB on the VM this was measured on).
const body = `(function (exports, require, module, __filename, __dirname, __chtkitImport) {${text}\n})`;
// Hashed whole, wrapper included: a code cache made for another layout of the same length would pass V8's check.
const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
const header = `// chtkit-cli-bundle ${hash} ${ACTIONS.map((a) => a.name).join(',')}\n`;
const tmp = `${OUT}.${process.pid}.tmp`;
try {
  writeFileSync(tmp, header + body);
  renameSync(tmp, OUT);
} catch (err) {
  rmSync(tmp, { force: true });
  throw err;
}

// The launcher as CommonJS (dist/cli/launch.cjs, which bin/cht.js requires): Node starts a CommonJS entry without
// its ES module loader, which an ES module entry (and each node: built-in it imports, given an ES module facade)
// cost ~10 ms of every run, of every action. Its one import(), of dist/cli/main.js (the modules, run when there is
// no bundle or Node has its own compile cache), and the import() of npm packages it serves the bundle stay import().
const LAUNCH = path.join(DIST, 'cli', 'launch.cjs');
const launcher = await build({
  entryPoints: [path.join(DIST, 'cli', 'launch.js')],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  outfile: LAUNCH,
  define: { 'import.meta.url': '__chtkitLaunchUrl' },
  banner: { js: 'const __chtkitLaunchUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
const launchText = launcher.outputFiles[0]?.text ?? '';
const launchImports = [];
simple(parse(launchText, { ecmaVersion: 'latest', sourceType: 'script' }), {
  ImportExpression(node) {
    launchImports.push(node);
  },
});
// (As in the ES module: the two `import('./main.js')` and the packages' `import(specifier)`.)
if (launchImports.length !== 3) throw new Error(`the CommonJS launcher has ${launchImports.length} import() where the module has 3`);
writeFileSync(`${LAUNCH}.${process.pid}.tmp`, launchText);
renameSync(`${LAUNCH}.${process.pid}.tmp`, LAUNCH);

// Code caches for the first runs after the build (as pip compiles .pyc files at install): the launcher reads one
// from dist/cli/code-cache/ when the user's cache has none yet for that action list. Made by running the common
// actions once on the example project, writing nothing there (--no-cache). V8 refuses them under another Node
// version; the user's own cache is then written as usual. On Node 22+ the launcher uses Node's cache instead, and
// nothing is made here.
const SHIPPED = path.join(DIST, 'cli', 'code-cache');
const EXAMPLE = path.join(ROOT, 'fixtures', 'example-app');
rmSync(SHIPPED, { recursive: true, force: true });
if (existsSync(EXAMPLE)) {
  const made = mkdtempSync(path.join(os.tmpdir(), 'chtkit-build-code-cache-'));
  // Validation runs on the example, then on a generated project with the SMS workflows, outbound pushes and
  // contact types the example lacks, adding what that run compiles (CHTKIT_EXTEND_CODE_CACHE, src/cli/launch.ts):
  // a real project's checks then come from the cache too (15% fewer instructions after Node's start for the
  // SMS-heavy project of bench/20-validate, against ~3% more for the example itself, which reads a larger cache).
  const sms = path.join(made, 'sms-project');
  const { generateSms } = await import(pathToFileURL(path.join(ROOT, 'bench', 'lib', 'projects.js')).href);
  generateSms(sms);
  const WARM_UP = [
    [EXAMPLE, 'validate-app-settings'],
    [sms, 'validate-app-settings'],
    [EXAMPLE, 'dry-run-tasks', '--date=2024-09-10', '--tz=Africa/Nairobi', '--json'],
  ];
  try {
    for (const [source, ...args] of WARM_UP) {
      spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cht.js'), `--source=${source}`, '--no-cache', ...args], {
        env: { ...process.env, NODE_COMPILE_CACHE: made, NO_COLOR: '1', ...(source === EXAMPLE ? {} : { CHTKIT_EXTEND_CODE_CACHE: '1' }) },
        stdio: 'ignore',
      });
    }
    const files = existsSync(path.join(made, 'chtkit')) ? readdirSync(path.join(made, 'chtkit')).filter((n) => n.endsWith('.v8')) : [];
    if (files.length) mkdirSync(SHIPPED, { recursive: true });
    for (const name of files) {
      cpSync(path.join(made, 'chtkit', name), path.join(SHIPPED, name));
      chmodSync(path.join(SHIPPED, name), 0o644); // part of the installed package: readable by every user, as dist/ is
    }
  } finally {
    rmSync(made, { recursive: true, force: true });
  }
}
