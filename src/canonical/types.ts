import type {
  GroupCreateData,
  GroupCreatedData,
  GroupDismissedData,
  GroupFullData,
  GroupInfoUpdateData,
  GroupInfoUpdatedData,
  GroupInviteData,
  GroupJoinData,
  GroupOwnerChangedData,
  MemberJoinPatch,
  MembersJoinData,
  MembersJoinedData,
  MembersLeftData,
  MemberUpdateData,
  MemberUpdatedData,
  OfflineData,
  OnlineData,
  Role,
} from './group.js';
import type { Element, MessageData, ReadData, RecallData } from './message.js';

export type { Element, MessageData, ReadData, RecallData } from './message.js';

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
  /** The client's address as the vendor reported it, else the address of the IM server that called. */
  clientIP?: string;
  platform?: string;
  sdkAppId?: string;
  operationID?: string;
  /** Unix time in milliseconds, as the vendor reported it, else when imbridge accepted the callback. */
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

/** One user a friend request is addressed to. */
export interface ApplyTarget {
  toUserID: string;
  /** The request message (Tencent `AddWording`, OpenIM `reqMsg`). */
  message: string;
  remark: string;
  /** Friend list / group the requester files the target under. */
  group: string;
  /** Where the request came from (Tencent `AddSource`). */
  source: string;
  /** OpenIM's opaque extension string. */
  ex: string;
}

/** How a user answers a friend request: accept one-way, accept and add back, or refuse. */
export type RespondAction = 'agree' | 'agree_and_add' | 'reject';

/** One answer to a pending friend request. */
export interface RespondItem {
  applicantUserID: string;
  action: RespondAction;
  remark: string;
  group: string;
  message: string;
}

/** Profile fields that changed; absent keys did not change (docs/mappings.md#canonical-events). */
export interface ProfileChanges {
  nickname?: string;
  faceURL?: string;
  ex?: string;
  gender?: 'unknown' | 'female' | 'male';
  /** Tencent's uint32 `YYYYMMDD`. */
  birthday?: number;
  signature?: string;
  location?: string;
  language?: number;
  level?: number;
  role?: number;
  allowType?: 'need_confirm' | 'allow_any' | 'deny_any';
  /** `Tag_Profile_Custom_*` and any tag imbridge does not know, keyed by the raw tag. */
  custom?: Record<string, string | number>;
}

/** A user being registered (OpenIM `sdkws.UserInfo`). */
export interface RegisterUser {
  userID: string;
  nickname: string;
  faceURL: string;
  ex: string;
  createTime: number;
  appManagerLevel: number;
  globalRecvMsgOpt: number;
}

/** `data` of each canonical type (docs/mappings.md#canonical-events), keyed by type. */
export interface DataByType {
  'im.friend.apply.before': {
    fromUserID: string;
    requesterUserID: string;
    addType: 'both' | 'single';
    force: boolean;
    targets: ApplyTarget[];
  };
  'im.friend.apply.after': { fromUserID: string; toUserID: string; message: string };
  'im.friend.respond.before': { responderUserID: string; items: RespondItem[] };
  'im.friend.added': {
    pairs: FriendAddedPair[];
    cause: FriendAddCause;
    /** The vendor's raw command name for the cause, kept verbatim ('' when the vendor has none). */
    clientCmd: string;
    adminUserID: string;
    force: boolean;
    /** The message the responder accepted with (OpenIM `HandleMsg`; '' when the vendor has none). */
    message: string;
  };
  'im.friend.deleted': { pairs: FriendPair[] };
  'im.friend.import.before': { ownerUserID: string; friendUserIDs: string[] };
  'im.friend.remark.before': { ownerUserID: string; friendUserID: string; remark: string };
  'im.friend.remark.updated': { ownerUserID: string; friendUserID: string; remark: string };
  'im.blacklist.add.before': { ownerUserID: string; blackUserID: string };
  'im.blacklist.added': { pairs: BlackPair[] };
  'im.blacklist.removed': { pairs: BlackPair[] };
  'im.user.profile.update.before': { userID: string; changes: ProfileChanges };
  'im.user.profile.updated': {
    userID: string;
    /** Who made the change ('' when the vendor does not say). */
    operatorUserID: string;
    changes: ProfileChanges;
    /** Unix ms, or null when the vendor does not say. */
    eventTime: number | null;
  };
  'im.user.register.before': { users: RegisterUser[] };
  'im.user.register.after': { users: RegisterUser[] };
  'im.message.send.before': MessageData;
  'im.message.modify.before': MessageData;
  'im.message.sent': MessageData;
  'im.message.send.failed': MessageData;
  'im.message.stored': MessageData;
  'im.message.read': ReadData;
  'im.message.recalled': RecallData;
  'im.user.online': OnlineData;
  'im.user.offline': OfflineData;
  'im.group.create.before': GroupCreateData;
  'im.group.created': GroupCreatedData;
  'im.group.dismissed': GroupDismissedData;
  'im.group.info.update.before': GroupInfoUpdateData;
  'im.group.info.updated': GroupInfoUpdatedData;
  'im.group.owner.changed': GroupOwnerChangedData;
  'im.group.full': GroupFullData;
  'im.group.join.before': GroupJoinData;
  'im.group.invite.before': GroupInviteData;
  'im.group.members.join.before': MembersJoinData;
  'im.group.members.joined': MembersJoinedData;
  'im.group.members.left': MembersLeftData;
  'im.group.member.update.before': MemberUpdateData;
  'im.group.member.updated': MemberUpdatedData;
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

/**
 * An answer: allow, deny, or — for a message about to be sent only — drop it silently (the sender is
 * told it was sent, nobody receives it).
 */
export type Decision = 'allow' | 'deny' | 'drop';

/** A per-target decision inside a batch verdict. */
export interface VerdictItem {
  userID: string;
  decision: Decision;
  code: number;
  message: string;
}

/** Modifications a before-event allows (docs/mappings.md#canonical-events); only the keys the type supports are honoured. */
export interface Patch {
  /** `im.friend.import.before`: the list to import instead. */
  friendUserIDs?: string[];
  /** `im.friend.remark.before`: the remark to store instead. */
  remark?: string;
  /**
   * `im.user.profile.update.before`: values to store instead (only for fields the request changes);
   * `im.group.member.update.before` (`nickname`, `faceURL`, `ex`); `im.group.create.before` and
   * `im.group.info.update.before` (`faceURL`, `ex`).
   */
  nickname?: string;
  faceURL?: string;
  ex?: string;
  /** `im.group.create.before`: the id the group gets instead (`""` lets the IM server choose). */
  groupID?: string;
  /** `im.group.create.before`, `im.group.info.update.before`: the group's values instead. */
  name?: string;
  notification?: string;
  introduction?: string;
  needVerification?: number;
  lookMemberInfo?: number;
  applyMemberFriend?: number;
  /** `im.group.member.update.before`: the member's role instead (never `owner`). */
  role?: Role;
  /** `im.group.members.join.before`: values for some of the members about to join, by `userID`. */
  members?: MemberJoinPatch[];
  /** `im.user.register.before`: the users to register instead. */
  users?: RegisterUser[];
  /** `im.message.send.before`, `im.message.modify.before`: the message's content instead. */
  elements?: Element[];
  cloudCustomData?: string;
}

/** A backend's decision on a before-event, in canonical form. */
export interface Verdict {
  decision: Decision;
  code: number;
  message: string;
  detail: string;
  items: VerdictItem[];
  patch: Patch;
  /**
   * Reply fields the backend set that the caller's answer cannot carry (an OpenIM modify reply's
   * `recvID`, say): the verdict stands without them, and the pipeline logs and counts them.
   */
  ignored?: string[];
}

/**
 * What one downstream exchange produced: a verdict, or a failure (no answer in time, a connection
 * error, a reply that is not the expected envelope) that the failure rule must settle.
 */
export type Outcome = { ok: true; verdict: Verdict } | { ok: false; reason: string };
