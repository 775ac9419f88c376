import type { Schema } from 'yup';
import type { DataByType } from '../src/canonical/types.js';
import { decoder, defineMapping, wholeCall, type Mapping, type OutboundCall } from './mapping.js';

/** Tencent's directed edge (docs/vendors/tencent.md#pair-lists): `From_Account`'s list holds `To_Account`. */
interface TencentPair {
  From_Account: string;
  To_Account: string;
}

/** A canonical edge: the owner, and the other user under `K`. */
type Edge<K extends EdgeKey = EdgeKey> = { ownerUserID: string } & Record<K, string>;

/** Canonical edges → the one Tencent pair callback that carries them all. */
export function tencentPairCall<K extends EdgeKey>(command: string, edges: readonly Edge<K>[], key: K): OutboundCall {
  return wholeCall(command, {
    CallbackCommand: command,
    PairList: edges.map((e) => ({ From_Account: e.ownerUserID, To_Account: e[key] })),
  });
}

/** The canonical types that are a list of directed edges. */
type PairListType = 'im.friend.deleted' | 'im.blacklist.added' | 'im.blacklist.removed';

/** The other user of an edge: a friend, or a blacklisted user. */
type EdgeKey = 'friendUserID' | 'blackUserID';

/**
 * What a Tencent batch becomes for OpenIM, which calls once per item: each call gets its own
 * `operationID`, the event id with `-<i>` (Tencent names no operation), for the mapping table.
 */
export const FANNED_OUT = 'one call per pair, each with `operationID` `<event id>-<i>` (Tencent names no operation)';

/** What one pair-list mapping is made of. */
export interface PairListSpec<T extends PairListType> {
  type: T;
  /** The key of the edge's other user. */
  key: EdgeKey;
  example: DataByType[T];
  /** The Tencent callback carrying every pair in one `PairList` (decoded, and encoded to). */
  tencent: { command: string; schema: Schema<unknown> };
  /** The OpenIM callback carrying one pair (encoded to once per pair; decoded too when it has a schema). */
  openim: { command: string; schema?: Schema<unknown> };
  /** What else going from Tencent to OpenIM means, said before the fan-out. */
  toOpenIM?: string;
}

/**
 * A mapping for a list of directed edges (docs/mappings.md#pair-lists): Tencent batches them in one
 * `PairList` callback, kept as they come (A→B and B→A are two edges); OpenIM sends one callback per
 * edge, so a Tencent batch fans out to OpenIM and an OpenIM call is a batch of one.
 */
export function pairListMapping<T extends PairListType>(spec: PairListSpec<T>): Mapping<T> {
  const { key, tencent, openim } = spec;
  type Data = { pairs: Edge[] };
  const decoders = [
    decoder({
      vendor: 'tencent',
      command: tencent.command,
      schema: tencent.schema,
      decode: (b) => ({
        pairs: (b as { PairList: TencentPair[] }).PairList.map((p) => ({
          ownerUserID: p.From_Account,
          [key]: p.To_Account,
        })),
      }),
    }),
  ];
  if (openim.schema) {
    decoders.push(
      decoder({
        vendor: 'openim',
        command: openim.command,
        schema: openim.schema,
        decode: (b) => {
          const body = b as Record<string, string>;
          return { pairs: [{ ownerUserID: body['ownerUserID']!, [key]: body[key]! }] };
        },
      }),
    );
  }
  return defineMapping({
    type: spec.type,
    examples: [spec.example],
    decoders: decoders as never,
    encoders: {
      tencent: (d: Data) => [tencentPairCall(tencent.command, d.pairs, key)],
      openim: (d: Data) =>
        d.pairs.map((e) =>
          wholeCall(openim.command, { callbackCommand: openim.command, ownerUserID: e.ownerUserID, [key]: e[key] }),
        ),
    },
    losses: [
      {
        vendor: 'tencent',
        command: tencent.command,
        lost: `to OpenIM: ${spec.toOpenIM ? `${spec.toOpenIM}; ` : ''}${FANNED_OUT}`,
      },
    ],
  } as never) as Mapping<T>;
}
