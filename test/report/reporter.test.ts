import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Reporter } from '../../src/report/reporter.js';

/** A stream that looks like a terminal to ora (the cursor methods of tty.WriteStream). */
class Stream extends Writable {
  text = '';
  columns = 80;
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const make = (opts: { tty: boolean; env?: NodeJS.ProcessEnv; json?: boolean; level?: 'info' | 'silent' }) => {
  const stdout = new Stream(opts.tty);
  const stderr = new Stream(opts.tty);
  const reporter = Reporter.create({
    level: opts.level ?? 'info',
    colourAllowed: true,
    json: opts.json ?? false,
    stdout: stdout as never,
    stderr: stderr as never,
    env: opts.env ?? {},
  });
  return { reporter, stdout, stderr };
};

describe('Reporter', () => {
  it('animates a spinner on a terminal, on stderr only', async () => {
    const { reporter, stdout, stderr } = make({ tty: true });
    const r = await reporter;
    const spinner = await r.spinner('Compiling');
    spinner.succeed('Done');
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain('Done');
    expect(stderr.text).toContain(`${String.fromCharCode(27)}[`); // cursor and colour codes: a real spinner
  });

  it('prints no spinner frames off a terminal, only the final line', async () => {
    const { reporter, stdout, stderr } = make({ tty: false });
    const spinner = await (await reporter).spinner('Compiling');
    spinner.update('Still compiling');
    spinner.succeed('Done');
    expect(stdout.text).toBe('');
    expect(stderr.text).toBe('✔ Done\n');
  });

  it('prints no spinner in CI or with --json, even on a terminal', async () => {
    for (const opts of [{ tty: true, env: { CI: 'true' } }, { tty: true, json: true }]) {
      const { reporter, stderr } = make(opts);
      const spinner = await (await reporter).spinner('Compiling');
      spinner.stop();
      expect(stderr.text).not.toContain('Compiling');
    }
  });

  it('puts data on stdout and logs on stderr, masking credentials in both', async () => {
    const { reporter, stdout, stderr } = make({ tty: false });
    const r = await reporter;
    r.redactor.addSecret('hunter22');
    r.data('{"url":"https://admin:pw@x.org","token":"hunter22"}');
    r.info('Using https://admin:pw@x.org with hunter22');
    expect(stdout.text).toBe('{"url":"https://admin:****@x.org","token":"****"}\n');
    expect(stderr.text).toBe('Using https://admin:****@x.org with ****\n');
  });

  it('uses colour on a terminal unless NO_COLOR is set', async () => {
    const coloured = await make({ tty: true }).reporter;
    expect(coloured.colourOnStderr).toBe(true);
    const plain = await make({ tty: true, env: { NO_COLOR: '1' } }).reporter;
    expect(plain.colourOnStderr).toBe(false);
  });
});
