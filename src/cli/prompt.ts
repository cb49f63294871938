import type { ActionContext } from './action.js';

/**
 * Prompts, for the CLI layer only (core modules never prompt). A prompt needs a person: stdin and stderr are
 * terminals, not CI, not --json. Anywhere else the caller must fail with a message naming the flag instead
 * of hanging a CI job.
 */
export function canPrompt(ctx: ActionContext): boolean {
  return (
    process.stdin.isTTY === true &&
    ctx.reporter.options.stderr.isTTY === true &&
    !ctx.env.CI &&
    ctx.opts.json !== true
  );
}

/** A hidden password prompt on stderr; the answer is registered with the redactor before it is returned. */
export async function askPassword(ctx: ActionContext, message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  const answer = await password({ message, mask: false }, { input: process.stdin, output: process.stderr });
  ctx.reporter.redactor.addSecret(answer);
  return answer;
}

/** y/N on stderr; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  // Loaded here, not at the top: every run loads this module (through the actions that prompt), few prompt.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
