/**
 * Node flags imbridge runs with: `npm start`, the workers of a multi-core gateway, the Kubernetes
 * example and the bench all use these (a test keeps them in step). Each was measured with
 * `npm run bench`; none costs throughput beyond run-to-run noise.
 *
 * - `--max-old-space-size=384`: a heap ceiling well under V8's default (2–4 GB on a 64-bit machine
 *   with memory to spare) bounds the heap, and it also makes V8 grow the heap by smaller steps between
 *   full collections: about 1.35× what is live instead of up to 4×. A gateway's live heap is small
 *   (~20–30 MB) and its garbage plentiful: peak RSS under full load 175–180 → 158–162 MB. 384 MB still
 *   leaves room for many concurrent bodies at `server.bodyLimitBytes`.
 * - `--max-semi-space-size=8`: the young generation's two halves at 8 MB each instead of 16. What a
 *   callback allocates dies within milliseconds, so a smaller nursery only scavenges more often (each
 *   scavenge costs what survives, not its size): 15–20 MB less resident under load.
 * - `--liftoff-only`: undici parses HTTP with llhttp compiled to WebAssembly, and once it is hot V8
 *   recompiled it with its optimising compiler, which took ~30 MB for ~100 ms a second after load
 *   began: the peak RSS of the whole run. llhttp stays on V8's baseline compiler; parsing a webhook
 *   reply is too small a part of a delivery for the difference to show.
 */
export const NODE_FLAGS: readonly string[] = ['--max-old-space-size=384', '--max-semi-space-size=8', '--liftoff-only'];

/** `execArgv` with imbridge's flags added, except those the operator already set a value for. */
export function withNodeFlags(execArgv: readonly string[]): string[] {
  // `--max_old_space_size=2048` sets the same flag as `--max-old-space-size=384`, `--no-liftoff-only` as `--liftoff-only`.
  const name = (flag: string) =>
    flag
      .split('=')[0]!
      .replace(/_/g, '-')
      .replace(/^--no-/, '--');
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...NODE_FLAGS.filter((f) => !given.has(name(f)))];
}
