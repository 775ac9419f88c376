import { notify, type OutboundCall } from './mapping.js';

/** Tencent's directed edge (T§3.5–3.7): `From_Account`'s list holds `To_Account`. */
interface TencentPair {
  From_Account: string;
  To_Account: string;
}

/** A canonical edge: the owner, and the other user under `K` (`friendUserID`, `blackUserID`). */
export type Edge<K extends string> = { ownerUserID: string } & Record<K, string>;

/** Tencent `PairList` → canonical edges, kept directed and in order. */
export function edgesFromTencent<K extends string>(list: TencentPair[], key: K): Edge<K>[] {
  return list.map((p) => ({ ownerUserID: p.From_Account, [key]: p.To_Account }) as Edge<K>);
}

/** Canonical edges → the one Tencent pair callback that carries them all. */
export function tencentPairCall<K extends string>(command: string, edges: Edge<K>[], key: K): OutboundCall {
  return notify(command, {
    CallbackCommand: command,
    PairList: edges.map((e) => ({ From_Account: e.ownerUserID, To_Account: e[key] })),
  });
}

/**
 * What a Tencent batch becomes for OpenIM (after "to OpenIM: "), which calls once per item: each call gets its own
 * `operationID`, the event id with `-<i>` (Tencent names no operation), for the mapping table.
 */
export const FANNED_OUT = 'one call per pair, each with `operationID` `<event id>-<i>` (Tencent names no operation)';
