// Deep links: `#day=YYYY-MM-DD`, `#contact=<encodeURIComponent(id)>`, `#task=<name>`, combined with `&`
// (`#day=2024-05-06&contact=c-1`). Parsed by hand rather than with URLSearchParams, which reads `+` as a space:
// ids are encoded with encodeURIComponent, which leaves no `+` of its own.

export interface HashState {
  day?: string;
  contact?: string;
  task?: string;
}

const KEYS = ['day', 'contact', 'task'] as const;

export function parseHash(hash: string): HashState {
  const state: HashState = {};
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      continue; // a malformed escape: ignore that key rather than the whole link
    }
    if ((KEYS as readonly string[]).includes(key) && value !== '') state[key as (typeof KEYS)[number]] = value;
  }
  return state;
}

export function formatHash(state: HashState): string {
  const parts: string[] = [];
  for (const key of KEYS) {
    const value = state[key];
    if (value !== undefined && value !== '') parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}
