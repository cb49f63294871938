import type { Writable } from 'node:stream';
import { UserError } from '../errors.js';

/**
 * The reader of chtkit's output has gone (`cht … | head` after its lines): not an error. The run ends quietly
 * with exit 0, as `git log | head` does; the CLI catches this.
 */
export class OutputClosed extends Error {
  constructor() {
    super('the output was closed by its reader');
  }
}

/** Errors that mean the reader is gone rather than that writing failed. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * One output stream (stdout or stderr) as chtkit writes to it: closing by the reader is noticed (and never
 * crashes the process with an unhandled 'error' event), and `write` honours backpressure, so output that grows
 * with the population never piles up in memory ahead of a slow reader.
 */
export class OutputStream {
  private gone = false;
  private failure: Error | undefined;

  constructor(readonly stream: Writable & { isTTY?: boolean }) {
    // Without a listener an EPIPE is an uncaught exception with a stack trace.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (READER_GONE.has(err.code ?? '')) this.gone = true;
      else this.failure ??= err;
    });
  }

  /** The reader has gone (or writing failed): further output goes nowhere. */
  get closed(): boolean {
    return this.gone || this.failure !== undefined || this.stream.destroyed === true;
  }

  /** Writes without waiting; once the reader has gone, writes nothing. */
  writeNow(text: string): void {
    if (this.closed) return;
    this.stream.write(text);
  }

  /**
   * Writes and waits until the stream can take more. Throws OutputClosed when the reader has gone, and the
   * write error (e.g. ENOSPC on a full disk) when writing failed.
   */
  async write(text: string): Promise<void> {
    this.check();
    if (this.stream.write(text)) return this.check();
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
    this.check();
  }

  /** Throws OutputClosed when the reader has gone, a UserError when writing failed; else nothing. */
  check(): void {
    if (this.failure) {
      throw new UserError(`Could not write the output: ${this.failure.message}`, {
        code: 'CHT_E_OUTPUT',
        hint: 'Check where the output goes (a full disk, a closed file?).',
      });
    }
    if (this.gone || this.stream.destroyed === true) throw new OutputClosed();
  }
}
