/**
 * Node flags imbridge runs with: `npm start`, the workers of a multi-core gateway, the Kubernetes
 * example and the bench all use these (a test keeps them in step).
 *
 * A heap ceiling well under V8's default (2–4 GB on a 64-bit machine with memory to spare) bounds the
 * heap, and it also makes V8 grow the heap by smaller steps between full collections: about 1.35× what
 * is live instead of up to 4×. A gateway's live heap is small (~20–30 MB) and its garbage plentiful, so
 * under full load this cut peak RSS from 175–180 MB to 158–162 MB with no loss of throughput. 384 MB
 * still leaves room for many concurrent bodies at `server.bodyLimitBytes`.
 */
export const NODE_FLAGS: readonly string[] = ['--max-old-space-size=384'];

/** `execArgv` with imbridge's flags added, except those the operator already set a value for. */
export function withNodeFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...NODE_FLAGS.filter((f) => !given.has(name(f)))];
}
