import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';

/**
 * The local instance's users, in `<data>/users.json`: `{ "NAME": { "roles": [...], "password": "..." } }`.
 * Like CouchDB's admins section, a plain `password` is hashed (PBKDF2) on start-up and the file rewritten, so
 * a test or a developer can add a user by editing the file. `_admin` in roles makes an admin; anyone else can
 * read but gets 403 on uploads (cht-core needs can_edit + can_configure).
 */
export interface UserCtx {
  name: string;
  roles: string[];
}

interface StoredUser {
  roles?: unknown;
  password?: unknown;
  password_scheme?: 'pbkdf2';
  iterations?: number;
  salt?: string;
  derived_key?: string;
}

const FILE = 'users.json';
const ITERATIONS = 10_000;
export const DEFAULT_ADMIN = { name: 'admin', password: 'pass' } as const;

function hash(password: string, salt: string, iterations: number): string {
  return pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('hex');
}

export class Users {
  /** Checked credentials, so Basic auth on every request costs one PBKDF2 per distinct pair, not per request. */
  private readonly verified = new Map<string, UserCtx>();
  private readonly sessions = new Map<string, UserCtx>();

  private constructor(private readonly users: Record<string, StoredUser>) {}

  static open(dir: string): Users {
    const file = path.join(dir, FILE);
    let users: Record<string, StoredUser> = { [DEFAULT_ADMIN.name]: { roles: ['_admin'], password: DEFAULT_ADMIN.password } };
    if (existsSync(file)) {
      try {
        users = JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredUser>;
        if (!users || typeof users !== 'object' || Array.isArray(users)) throw new Error('not an object of users');
      } catch (err) {
        throw new UserError(`The local instance's users file ${file} cannot be read (${(err as Error).message}).`, {
          code: 'CHT_E_LOCAL_USERS',
          hint: 'Fix it, or delete it to get the default admin user back (admin / pass).',
        });
      }
    }
    let changed = !existsSync(file);
    for (const user of Object.values(users)) {
      if (typeof user.password === 'string') {
        const salt = randomBytes(16).toString('hex');
        Object.assign(user, { password_scheme: 'pbkdf2', iterations: ITERATIONS, salt, derived_key: hash(user.password, salt, ITERATIONS) });
        delete user.password;
        changed = true;
      }
    }
    if (changed) writeFileAtomic(file, `${JSON.stringify(users, null, 2)}\n`);
    return new Users(users);
  }

  verify(name: string, password: string): UserCtx | undefined {
    const key = `${name}\u0000${password}`;
    const cached = this.verified.get(key);
    if (cached) return cached;
    const user = Object.prototype.hasOwnProperty.call(this.users, name) ? this.users[name] : undefined;
    if (!user?.salt || !user.derived_key) return undefined;
    const expected = Buffer.from(user.derived_key, 'hex');
    const actual = Buffer.from(hash(password, user.salt, user.iterations ?? ITERATIONS), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    const ctx: UserCtx = { name, roles: Array.isArray(user.roles) ? user.roles.filter((r): r is string => typeof r === 'string') : [] };
    this.verified.set(key, ctx);
    return ctx;
  }

  /** POST /_session: a random token, valid until the server stops (like a CouchDB cookie, minus the expiry). */
  createSession(user: UserCtx): string {
    const token = randomBytes(24).toString('base64url');
    this.sessions.set(token, user);
    return token;
  }

  session(token: string): UserCtx | undefined {
    return this.sessions.get(token);
  }

  endSession(token: string): void {
    this.sessions.delete(token);
  }
}

export function isAdmin(user: UserCtx | undefined): boolean {
  return !!user && user.roles.includes('_admin');
}
