import type { ConfigProject } from '../project/project.js';
import { bundle, runtimeModule, specifier, type BundleOutput } from './esbuild.js';

/**
 * cht-core runs the contact summary as the body of
 * `new Function('contact','reports','lineage','uhcStats','cht','targetDoc', script)` and uses what it returns.
 * Like cht-conf's UMD output, the bundle copies the summary's keys onto a `ContactSummary` object that the
 * script returns.
 */
export function contactSummaryEntry(source: ConfigProject['contactSummary']): string {
  // require (not import) hands over the module's exports as they are, without esbuild's namespace copy.
  const lines = [`var summary = require(${specifier(source.file)});`, 'if (summary && summary.__esModule) summary = summary.default;'];
  if (source.kind === 'templated') {
    lines.push(
      `import { emitContactSummary } from ${specifier(runtimeModule('contact-summary-emitter'))};`,
      'var result = emitContactSummary(summary, contact, reports);',
    );
  } else {
    lines.push('var result = summary;');
  }
  lines.push('for (var key in result) ContactSummary[key] = result[key];');
  return lines.join('\n');
}

export function wrapContactSummary(code: string): string {
  return `var ContactSummary = {}; ${code} return ContactSummary;`;
}

export async function bundleContactSummary(
  projectDir: string,
  source: ConfigProject['contactSummary'],
  options: { minify: boolean; sourcemap?: boolean },
): Promise<BundleOutput> {
  const out = await bundle({
    projectDir,
    entry: contactSummaryEntry(source),
    label: 'contact_summary',
    subject: 'the contact summary',
    format: 'iife',
    minify: options.minify,
    sourcemap: options.sourcemap ?? false,
  });
  return { ...out, code: wrapContactSummary(out.code) };
}
