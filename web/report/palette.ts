// Task colours: Paul Tol's "muted" qualitative scheme (nine colours told apart under the common colour-vision
// deficiencies, light enough for dark text on light backgrounds and distinct on dark ones). Colour is never the
// only cue: every bar and legend entry also carries the task's letter, and states differ by pattern and text.
const TOL_MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'];

export function taskColour(slot: number): string {
  return TOL_MUTED[slot % TOL_MUTED.length] ?? '#888888';
}

/** Text that reads on the task colour (the muted scheme has both dark and light entries). */
export function taskInk(slot: number): string {
  const light = new Set([1, 2, 4, 5]);
  return light.has(slot % TOL_MUTED.length) ? '#000000' : '#ffffff';
}

/**
 * The task's letter: A, B, ... Z, then AA, AB ... — the non-colour cue on bars and in the legend (ten tasks with
 * nine colours share a colour, never a letter).
 */
export function taskLetter(slot: number): string {
  let n = slot;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Inline style of a task's swatch: its colour, and its letter in an ink that reads on it. */
export function swatchStyle(slot: number): string {
  return `background:${taskColour(slot)};color:${taskInk(slot)}`;
}
