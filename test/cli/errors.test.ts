import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../../src/cli/action.js';
import { main } from '../../src/cli/main.js';
import { InstanceError, UserError } from '../../src/errors.js';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function run(action: ActionDefinition, args: string[] = []) {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(
    { argv: [...args, action.name], env: { NO_COLOR: '1' }, cwd: process.cwd(), stdout, stderr },
    [action],
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const meta = { area: 'Build and check', description: '', examples: [], globals: [] } as const;
const failing = (error: () => never): ActionDefinition => ({ name: 'boom', summary: 'fails', ...meta, run: async () => error() });

describe('one error model', () => {
  it('a user error: the message, file:line:column and a code frame, the hint, exit 1, no stack', async () => {
    const r = await run(
      failing(() => {
        throw new UserError('The config is broken.', {
          code: 'CHT_E_TEST',
          hint: 'Fix it like this.',
          diagnostics: [{ severity: 'error', code: 'x', message: 'bad value', file: `${process.cwd()}/tasks.js`, line: 3, column: 5, lineText: '    days: "3",', length: 4 }],
        });
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error The config is broken.');
    expect(r.stderr).toContain('tasks.js:3:5');
    expect(r.stderr).toContain('3 │     days: "3",');
    expect(r.stderr).toContain('~~~~');
    expect(r.stderr).toContain('Fix it like this.');
    expect(r.stderr).not.toContain('    at ');
    expect(r.stdout).toBe('');
  });

  it('an instance error exits 2', async () => {
    const r = await run(
      failing(() => {
        throw new InstanceError('The instance did not answer.', { code: 'CHT_E_NET' });
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The instance did not answer.');
  });

  it('anything else is a bug: exit 3, the stack, and a request to report it', async () => {
    const r = await run(
      failing(() => {
        throw new TypeError('cannot read x of undefined');
      }),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('This is a bug in chtkit');
    expect(r.stderr).toContain('TypeError: cannot read x of undefined');
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stderr).toContain('Please report it');
  });

  it('errors are printed even with --silent', async () => {
    const r = await run(
      failing(() => {
        throw new UserError('Still shown.', { code: 'CHT_E_TEST' });
      }),
      ['--silent'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Still shown.');
  });

  it('credentials in URLs never reach the output', async () => {
    const r = await run(
      failing(() => {
        throw new InstanceError('Could not reach https://admin:s3cret-pass@cht.example.org/medic', { code: 'CHT_E_NET' });
      }),
    );
    expect(r.stderr).toContain('https://admin:****@cht.example.org/medic');
    expect(r.stderr).not.toContain('s3cret-pass');
  });

  it('preflight checks of every action run before the first action', async () => {
    const order: string[] = [];
    const first: ActionDefinition = { name: 'first', summary: '', ...meta, run: async () => void order.push('run first') };
    const second: ActionDefinition = {
      name: 'second',
      summary: '',
      ...meta,
      preflight: async () => {
        order.push('preflight second');
        throw new UserError('Missing --url.', { code: 'CHT_E_TEST' });
      },
      run: async () => void order.push('run second'),
    };
    const stderr = new Collector();
    const code = await main({ argv: ['first', 'second'], env: {}, cwd: process.cwd(), stdout: new Collector(), stderr }, [first, second]);
    expect(code).toBe(1);
    expect(order).toEqual(['preflight second']);
  });
});
