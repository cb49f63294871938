/** Why a long-running action (cht serve, cht dev) stops. */
export type StopReason = NodeJS.Signals | 'output-closed';

const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * Resolves when the process gets SIGINT or SIGTERM (Ctrl-C, `kill`, a CI step ending), or when whoever reads its
 * output has gone (`cht dev | head -1` once head exits: noticed at the next write), as a closed pipe ends any
 * chtkit command quietly.
 */
export function untilSignal(): Promise<StopReason> {
  return new Promise((resolve) => {
    const streams = [process.stdout, process.stderr];
    const stop = (reason: StopReason) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      for (const s of streams) s.off('error', onError);
      resolve(reason);
    };
    const onError = (err: NodeJS.ErrnoException) => {
      if (READER_GONE.has(err.code ?? '')) stop('output-closed');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    for (const s of streams) s.on('error', onError);
  });
}

/**
 * Until the returned function is called, SIGINT or SIGTERM runs `cleanUp` (synchronously: the process ends right
 * after) and exits 130 or 143, as an action stopped by Ctrl-C or `kill` does. For temporary state outside the
 * process that must not outlive it (a git worktree registered in the user's repository).
 */
export function cleanUpOnSignal(cleanUp: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      cleanUp();
    } finally {
      // Even if the clean-up fails: a stopped action exits 130 or 143, never with a stack trace.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
