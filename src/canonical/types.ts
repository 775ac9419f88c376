/**
 * The canonical model: one event shape and one verdict shape that both vendors are translated into.
 * Vendor-free by design — nothing here knows a Tencent or OpenIM field name.
 */

/** The two IM servers imbridge accepts callbacks from. */
export type Vendor = 'tencent' | 'openim';

/** The wire formats a downstream backend may speak. */
export type DownstreamFormat = Vendor | 'canonical';

/** Whether the IM server waits for a decision ("before") or only notifies ("after"). */
export type Phase = 'before' | 'after';

/** What is known about where and when an event happened; every key is optional. */
export interface Meta {
  clientIP?: string;
  platform?: string;
  sdkAppId?: string;
  operationID?: string;
  /** Unix time in milliseconds, as the vendor reported it. */
  eventTime?: number;
}

/** A directed friend edge: `friendUserID` is in `ownerUserID`'s friend list. */
export interface FriendPair {
  ownerUserID: string;
  friendUserID: string;
}

/** A friend edge that was just created, with who asked for it. */
export interface FriendAddedPair extends FriendPair {
  initiatorUserID: string;
}

/** A directed blacklist edge: `blackUserID` is in `ownerUserID`'s blacklist. */
export interface BlackPair {
  ownerUserID: string;
  blackUserID: string;
}

/** Why a friendship came to be. */
export type FriendAddCause = 'apply' | 'respond' | 'import' | 'unknown';

/** `data` of each canonical type (MAPPINGS.md §2), keyed by type. */
export interface DataByType {
  'im.friend.apply.after': { fromUserID: string; toUserID: string; message: string };
  'im.friend.added': {
    pairs: FriendAddedPair[];
    cause: FriendAddCause;
    /** The vendor's raw command name for the cause, kept verbatim ('' when the vendor has none). */
    clientCmd: string;
    adminUserID: string;
    force: boolean;
  };
  'im.friend.deleted': { pairs: FriendPair[] };
  'im.friend.import.before': { ownerUserID: string; friendUserIDs: string[] };
  'im.blacklist.removed': { pairs: BlackPair[] };
}

/** Every canonical event type imbridge knows. */
export type CanonicalType = keyof DataByType;

/** `data` of a type, plus the `meta` every type carries. */
export type EventData<T extends CanonicalType> = DataByType[T] & { meta?: Meta };

/** A canonical event: a CloudEvents 1.0 envelope around typed `data`. */
export interface CanonicalEvent<T extends CanonicalType = CanonicalType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  datacontenttype: 'application/json';
  imvendor: Vendor;
  imcommand: string;
  data: EventData<T>;
}

/** Any canonical event, discriminated on `type`. */
export type AnyEvent = { [T in CanonicalType]: CanonicalEvent<T> }[CanonicalType];

/** An allow-or-deny answer. */
export type Decision = 'allow' | 'deny';

/** A per-target decision inside a batch verdict. */
export interface VerdictItem {
  userID: string;
  decision: Decision;
  code: number;
  message: string;
}

/** Modifications a before-event allows (MAPPINGS.md §2); only the keys the type supports are honoured. */
export interface Patch {
  friendUserIDs?: string[];
}

/** A backend's decision on a before-event, in canonical form. */
export interface Verdict {
  decision: Decision;
  code: number;
  message: string;
  detail: string;
  items: VerdictItem[];
  patch: Patch;
}

/**
 * What one downstream exchange produced: a verdict, or a failure (no answer in time, a connection
 * error, a reply that is not the expected envelope) that the failure rule must settle.
 */
export type Outcome = { ok: true; verdict: Verdict } | { ok: false; reason: string };
