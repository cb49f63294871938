import { describe, expect, it } from 'vitest';
import { productionMismatch, resolveArchive, resolveRemote, selectMode, type SelectionInput } from '../../src/instance/target.js';

const base: SelectionInput = {
  local: false, url: undefined, instance: undefined, archive: false, user: undefined, destination: undefined,
  sessionToken: undefined, cwd: '/work', env: {},
};
const noPrompt = async () => {
  throw new Error('no prompt expected');
};

describe('instance selection (cht-conf 6.6.1 get-api-url.js)', () => {
  it('needs exactly one of --local/--url/--instance/--archive; CHT_URL stands in for --url only alone', () => {
    expect(() => selectMode(base)).toThrow('One of these parameters is required: --local, --url=URL, --instance=NAME or --archive.');
    expect(() => selectMode({ ...base, local: true, url: 'http://x' })).toThrow('Only one of');
    expect(selectMode({ ...base, env: { CHT_URL: 'https://h' } })).toEqual({ mode: 'url', fromEnv: true });
    expect(selectMode({ ...base, local: true, env: { CHT_URL: 'https://h' } })).toEqual({ mode: 'local', fromEnv: false });
  });

  it('--local: admin:pass@localhost:5988, or COUCH_URL with the port forced to 5988 and the path dropped', async () => {
    const dflt = await resolveRemote({ ...base, local: true }, 'local', noPrompt);
    expect(dflt.baseUrl.href).toBe('http://localhost:5988/');
    expect(dflt.dbUrl.href).toBe('http://localhost:5988/medic');
    expect([dflt.user, dflt.password, dflt.source]).toEqual(['admin', 'pass', 'local-default']);
    const couch = await resolveRemote({ ...base, local: true, env: { COUCH_URL: 'http://medic:s3cret@localhost:5984/medic' } }, 'local', noPrompt);
    expect(couch.baseUrl.href).toBe('http://localhost:5988/');
    expect([couch.user, couch.password, couch.source]).toEqual(['medic', 's3cret', 'COUCH_URL']);
    await expect(resolveRemote({ ...base, local: true, env: { COUCH_URL: 'http://a:b@db.example.org:5984/medic' } }, 'local', noPrompt)).rejects.toThrow(
      "--local was specified but COUCH_URL env var is set to 'db.example.org'.",
    );
  });

  it('--url: credentials split off (decoded), sub-paths kept, a trailing /medic taken as the database', async () => {
    const t = await resolveRemote({ ...base, url: 'https://us%40er:p%40ss@cht.example.org:8443/' }, 'url', noPrompt);
    expect(t.baseUrl.href).toBe('https://cht.example.org:8443/');
    expect(t.dbUrl.href).toBe('https://cht.example.org:8443/medic');
    expect([t.user, t.password, t.passwordSource]).toEqual(['us@er', 'p@ss', 'url']);
    const sub = await resolveRemote({ ...base, url: 'https://h/cht' }, 'url', noPrompt);
    expect(sub.dbUrl.href).toBe('https://h/cht/medic');
    const medic = await resolveRemote({ ...base, url: 'http://a:b@localhost:5988/medic/' }, 'url', noPrompt);
    expect(medic.dbUrl.href).toBe('http://localhost:5988/medic');
    expect(medic.notes).toHaveLength(1);
    const env = await resolveRemote({ ...base, url: 'https://h', env: { CHT_USERNAME: 'ci', CHT_PASSWORD: 'pw' } }, 'url', noPrompt);
    expect([env.user, env.password, env.passwordSource]).toEqual(['ci', 'pw', 'env']);
    await expect(resolveRemote({ ...base, url: 'https://user:secret@' }, 'url', noPrompt)).rejects.toThrow('--url is not a valid URL.');
    await expect(resolveRemote({ ...base, url: 'ftp://h' }, 'url', noPrompt)).rejects.toThrow('must be an http:// or https:// URL');
  });

  it('--instance: https://NAME.medicmobile.org with --user (default admin) and a password from CHT_PASSWORD or the prompt', async () => {
    const prompted = await resolveRemote({ ...base, instance: 'demo.dev', user: 'bob' }, 'instance', async (user, host) => `${user}@${host}`);
    expect(prompted.baseUrl.href).toBe('https://demo.dev.medicmobile.org/');
    expect([prompted.user, prompted.password, prompted.passwordSource]).toEqual(['bob', 'bob@demo.dev.medicmobile.org', 'prompt']);
    const env = await resolveRemote({ ...base, instance: 'demo', env: { CHT_PASSWORD: 'x1' } }, 'instance', noPrompt);
    expect([env.user, env.password, env.passwordSource]).toEqual(['admin', 'x1', 'env']);
  });

  it('--archive needs --destination', () => {
    expect(() => resolveArchive({ ...base, archive: true })).toThrow('--destination=<path to save files> is required with --archive.');
    expect(resolveArchive({ ...base, archive: true, destination: 'out' })).toEqual({ kind: 'archive', destination: '/work/out' });
  });

  it('production guard: NAME.(app|dev).medicmobile.org unless NAME is alpha or the project folder', async () => {
    const at = async (url: string) => resolveRemote({ ...base, url }, 'url', noPrompt);
    expect(productionMismatch(await at('https://a:b@moh-ke.app.medicmobile.org'), '/p/moh-tz')).toBe('moh-ke');
    expect(productionMismatch(await at('https://moh-ke.dev.medicmobile.org'), '/p/moh-tz')).toBe('moh-ke');
    expect(productionMismatch(await at('https://moh-ke.app.medicmobile.org'), '/p/moh-ke')).toBeUndefined();
    expect(productionMismatch(await at('https://alpha.dev.medicmobile.org'), '/p/x')).toBeUndefined();
    expect(productionMismatch(await at('https://moh-ke.medicmobile.org'), '/p/x')).toBeUndefined();
    expect(productionMismatch(await at('http://moh-ke.app.medicmobile.org'), '/p/x')).toBeUndefined();
  });
});
