import { UserError } from '../../errors.js';

/**
 * The cht-core version the workflow rules follow. Rules that differ between versions (permission names,
 * deprecated transitions, validation functions, outbound behaviour) read it; diagnostics from them say which
 * version they assumed and where it came from.
 */
export interface CoreVersion {
  major: number;
  minor: number;
  /** As shown: `4.11`. */
  label: string;
  /** Where it came from: `--core-version`, the instance's deploy-info, or chtkit's newest known version. */
  source: 'flag' | 'instance' | 'newest';
}

/** The newest cht-core version whose settings behaviour chtkit knows (its rules checked up to tag 5.2.0). */
export const NEWEST_KNOWN = { major: 5, minor: 2 } as const;
/** The oldest version chtkit has facts for. */
export const OLDEST_KNOWN = { major: 4, minor: 0 } as const;

/** Orders versions: negative when `v` is before `major.minor`. */
export function compareVersion(v: Pick<CoreVersion, 'major' | 'minor'>, major: number, minor: number): number {
  return v.major - major || v.minor - minor;
}

/** True when `v` is `major.minor` or later. */
export const atLeast = (v: Pick<CoreVersion, 'major' | 'minor'>, major: number, minor: number): boolean => compareVersion(v, major, minor) >= 0;

/**
 * Reads a version such as `4.11`, `4.11.0` or `v4.11.0-beta.1` (deploy-info's form). Versions newer than chtkit
 * knows are followed as the newest known; older than 4.0 is refused (cht-core 3.x settings differ too much).
 */
export function parseCoreVersion(text: string, source: CoreVersion['source']): CoreVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  if (!m) {
    throw new UserError(`"${text}" is not a cht-core version.`, {
      code: 'CHT_E_CORE_VERSION',
      hint: `Give major.minor, e.g. --core-version=4.11 (chtkit knows ${OLDEST_KNOWN.major}.${OLDEST_KNOWN.minor} to ${NEWEST_KNOWN.major}.${NEWEST_KNOWN.minor}).`,
    });
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (compareVersion({ major, minor }, OLDEST_KNOWN.major, OLDEST_KNOWN.minor) < 0) {
    throw new UserError(`cht-core ${major}.${minor} is older than chtkit's checks know (${OLDEST_KNOWN.major}.${OLDEST_KNOWN.minor} and later).`, {
      code: 'CHT_E_CORE_VERSION',
      hint: 'Validate against 4.0 or later, or leave out --core-version.',
    });
  }
  return { major, minor, label: `${major}.${minor}`, source };
}

export function newestKnown(): CoreVersion {
  return { ...NEWEST_KNOWN, label: `${NEWEST_KNOWN.major}.${NEWEST_KNOWN.minor}`, source: 'newest' };
}

/** "cht-core 4.11 (from --core-version)": for hints of version-dependent rules. */
export function describeCoreVersion(v: CoreVersion): string {
  const from = v.source === 'flag' ? 'from --core-version' : v.source === 'instance' ? "the instance's version" : "chtkit's newest known version; set --core-version";
  return `cht-core ${v.label} (${from})`;
}
