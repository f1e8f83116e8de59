/**
 * The V8 flags Diwan's server processes run with: `npm start` (package.json) passes them,
 * and the notifications and payments benchmarks run Diwan (and, in the same process, the
 * baseline they compare it with) under the same ones, so their figures are those of a
 * process started the documented way.
 *
 * `--max-semi-space-size=64`: a young generation of 64 MB semi-spaces instead of V8's 16 MB
 * default. A request or a notification allocates short-lived objects by the thousand (query
 * parameters and rows, JSON, protocol buffers, promises); with a larger nursery most of them
 * are dead by the next scavenge, which then copies less and runs a quarter as often. Measured
 * with the notifications delivery benchmark (docs/notifications.md, session 6): Node CPU per
 * message 115–121 → 98–104 µs; the young generation may take up to 128 MB more memory.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The server flags missing from `execArgv` (compared by name, so another value counts as set). */
export function missingServerFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split('=')[0];
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.some((a) => name(a) === name(flag)));
}
