import type { ChalkInstance } from 'chalk';

export interface ColourInputs {
  /** false when --no-color (or --json) was given. */
  allowed: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * chalk 5 ignores NO_COLOR on purpose (chalk#547), so the decision is made here, per stream:
 * off for --no-color, NO_COLOR and a non-TTY stream; FORCE_COLOR turns it back on for a pipe.
 */
export function wantsColour(stream: { isTTY?: boolean }, inputs: ColourInputs): boolean {
  if (!inputs.allowed) return false;
  if (inputs.env.NO_COLOR !== undefined && inputs.env.NO_COLOR !== '') return false;
  const forced = inputs.env.FORCE_COLOR !== undefined && inputs.env.FORCE_COLOR !== '0' && inputs.env.FORCE_COLOR !== 'false';
  return stream.isTTY === true || forced;
}

/** A chalk-shaped styler that leaves text as it is: every style is itself, calling it joins the text. */
export const plain: ChalkInstance = new Proxy(function () {} as unknown as ChalkInstance, {
  apply: (_t, _this, args: unknown[]) => args.join(' '),
  get: (_t, key) => (key === 'level' ? 0 : plain),
});

/**
 * chalk costs ~12 ms to import, so it is loaded only when some stream will really be coloured
 * (never in CI logs or pipes).
 */
export async function stylersFor(
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
  inputs: ColourInputs,
): Promise<{ out: ChalkInstance; err: ChalkInstance }> {
  const outOn = wantsColour(streams.stdout, inputs);
  const errOn = wantsColour(streams.stderr, inputs);
  if (!outOn && !errOn) return { out: plain, err: plain };
  const { Chalk, supportsColor, supportsColorStderr } = await import('chalk');
  const make = (on: boolean, detected: typeof supportsColor) =>
    on ? new Chalk({ level: detected ? detected.level : 1 }) : plain;
  return { out: make(outOn, supportsColor), err: make(errOn, supportsColorStderr) };
}
