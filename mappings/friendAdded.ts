import type { DataByType, FriendAddCause, FriendAddedPair } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, wholeCall, type OutboundCall } from './mapping.js';

type FriendAdded = DataByType['im.friend.added'];

const T_CMD = 'Sns.CallbackFriendAdd';
const O_AGREE = 'callbackAfterAddFriendAgreeCommand';
const O_IMPORT = 'callbackAfterImportFriendsCommand';
const O_DOCS_ERA = 'callbackAfterAddFriendCommand';

/** Tencent `ClientCmd` values, both documented spellings (docs/vendors/tencent.md#friend-added), by cause. */
const CLIENT_CMDS: Record<Exclude<FriendAddCause, 'unknown'>, string[]> = {
  apply: ['friend_add', 'FriendAdd'],
  respond: ['friend_response', 'FriendResponse'],
  import: ['friend_import', 'FriendImport'],
};

/** docs/mappings.md#supported-commands: `ClientCmd` → cause; anything unlisted is `unknown` (the raw value stays in `clientCmd`). */
export function causeOf(clientCmd: string): FriendAddCause {
  for (const [cause, names] of Object.entries(CLIENT_CMDS)) {
    if (names.includes(clientCmd)) return cause as FriendAddCause;
  }
  return 'unknown';
}

/**
 * `ClientCmd`, `Admin_Account` and `ForceFlag` as Tencent would send them, in its key order. The event's own `ClientCmd` when it means the
 * same cause (a Tencent pass-through keeps its spelling); else the documented one. Tencent never sends
 * `friend_import` (its import API fires no callback, docs/vendors/tencent.md#friend-added): what it sends
 * for an admin's forced add is `friend_add` with `ForceFlag` 1, so an import from OpenIM is told so.
 */
function withCause(d: FriendAdded): { ClientCmd: string; Admin_Account: string; ForceFlag: number } {
  const told = (ClientCmd: string, ForceFlag: number) => ({ ClientCmd, Admin_Account: d.adminUserID, ForceFlag });
  if (d.clientCmd !== '' && causeOf(d.clientCmd) === d.cause) return told(d.clientCmd, d.force ? 1 : 0);
  if (d.cause === 'import') return told(CLIENT_CMDS.apply[0]!, 1);
  return told(d.cause === 'unknown' ? d.clientCmd : CLIENT_CMDS[d.cause][0]!, d.force ? 1 : 0);
}

/** OpenIM says nothing of Tencent's `ClientCmd`, admin or force flag: only the pairs, why, and the agree message. */
function friendshipFromOpenIM(pairs: FriendAddedPair[], cause: FriendAddCause, message = ''): FriendAdded {
  return { pairs, cause, clientCmd: '', adminUserID: '', force: false, message };
}

/** An accepted friend request is a two-way friendship started by the applicant. */
function agreed(applicant: string, responder: string, message: string): FriendAdded {
  return friendshipFromOpenIM(
    [
      { ownerUserID: applicant, friendUserID: responder, initiatorUserID: applicant },
      { ownerUserID: responder, friendUserID: applicant, initiatorUserID: applicant },
    ],
    'respond',
    message,
  );
}

/** OpenIM's import: every friend becomes a friend both ways, initiated by the owner (docs/vendors/openim.md#import). */
function imported(owner: string, friends: string[]): FriendAdded {
  return friendshipFromOpenIM(
    friends.flatMap((f) => [
      { ownerUserID: owner, friendUserID: f, initiatorUserID: owner },
      { ownerUserID: f, friendUserID: owner, initiatorUserID: owner },
    ]),
    'import',
  );
}

/** In a pair, the user who asked, and the other one. An initiator outside the pair counts as the owner. */
function parties(p: FriendAddedPair): [initiator: string, other: string] {
  return p.initiatorUserID === p.friendUserID ? [p.friendUserID, p.ownerUserID] : [p.ownerUserID, p.friendUserID];
}

/** One `callbackAfterImportFriendsCommand` per importing owner, its friends de-duplicated in order. */
function importCalls(pairs: FriendAddedPair[]): OutboundCall[] {
  const byOwner = new Map<string, Set<string>>();
  for (const p of pairs) {
    const [owner, friend] = parties(p);
    let friends = byOwner.get(owner);
    if (!friends) byOwner.set(owner, (friends = new Set()));
    friends.add(friend);
  }
  return [...byOwner].map(([owner, friends]) =>
    // Go sends a nil slice as null; an owner here always has at least one friend.
    wholeCall(O_IMPORT, { callbackCommand: O_IMPORT, ownerUserID: owner, friendUserIDs: [...friends] }),
  );
}

/** One `callbackAfterAddFriendAgreeCommand` per unordered pair: A→B and B→A are one friendship. */
function agreeCalls(pairs: FriendAddedPair[], message: string): OutboundCall[] {
  const seen = new Set<string>();
  const calls: OutboundCall[] = [];
  for (const p of pairs) {
    const [applicant, responder] = parties(p);
    const key = JSON.stringify([applicant, responder].sort());
    if (seen.has(key)) continue;
    seen.add(key);
    calls.push(
      wholeCall(O_AGREE, {
        callbackCommand: O_AGREE,
        fromUserID: applicant,
        blackUserID: responder,
        HandleResult: 1,
        HandleMsg: message,
      }),
    );
  }
  return calls;
}

/**
 * `im.friend.added`: a friendship now exists. Tencent reports directed edges with the command that
 * caused them (docs/vendors/tencent.md#friend-added); OpenIM reports an accepted request (docs/vendors/openim.md#friend-agree, with its `blackUserID` quirk), an
 * import (docs/vendors/openim.md#import), or — on servers following the old docs — `callbackAfterAddFriendCommand` with a
 * `handleResult` (docs/mappings.md#supported-commands).
 */
export const friendAdded = defineMapping({
  type: 'im.friend.added',
  examples: [
    {
      pairs: [
        { ownerUserID: 'alice', friendUserID: 'bob', initiatorUserID: 'alice' },
        { ownerUserID: 'bob', friendUserID: 'alice', initiatorUserID: 'alice' },
      ],
      cause: 'respond',
      clientCmd: 'friend_response',
      adminUserID: '',
      force: false,
      message: 'see you',
    },
    {
      pairs: [
        { ownerUserID: 'alice', friendUserID: 'bob', initiatorUserID: 'alice' },
        { ownerUserID: 'bob', friendUserID: 'alice', initiatorUserID: 'alice' },
      ],
      cause: 'import',
      clientCmd: '',
      adminUserID: '',
      force: false,
      message: '',
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.friendAdd,
      decode: (b) => ({
        pairs: b.PairList.map((p) => ({
          ownerUserID: p.From_Account,
          friendUserID: p.To_Account,
          initiatorUserID: p.Initiator_Account,
        })),
        cause: causeOf(b.ClientCmd ?? ''),
        clientCmd: b.ClientCmd ?? '',
        adminUserID: b.Admin_Account ?? '',
        force: b.ForceFlag === 1,
        message: '',
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_AGREE,
      schema: openim.addFriendAgree,
      decode: (b) => agreed(b.fromUserID, openim.agreeResponder(b), b.HandleMsg ?? b.handleMsg ?? ''),
    }),
    decoder({
      vendor: 'openim',
      command: O_DOCS_ERA,
      schema: openim.addFriendAgree,
      when: openim.hasHandleResult,
      decode: (b) => agreed(b.fromUserID, openim.agreeResponder(b), b.HandleMsg ?? b.handleMsg ?? ''),
    }),
    decoder({
      vendor: 'openim',
      command: O_IMPORT,
      schema: openim.importFriends,
      decode: (b) => imported(b.ownerUserID, b.friendUserIDs ?? []),
    }),
  ],
  encoders: {
    tencent: (d) => [
      wholeCall(T_CMD, {
        CallbackCommand: T_CMD,
        PairList: d.pairs.map((p) => ({
          From_Account: p.ownerUserID,
          To_Account: p.friendUserID,
          Initiator_Account: p.initiatorUserID,
        })),
        ...withCause(d),
      }),
    ],
    openim: (d) => (d.cause === 'import' ? importCalls(d.pairs) : agreeCalls(d.pairs, d.message)),
  },
  losses: [
    {
      vendor: 'openim',
      command: O_AGREE,
      lost: 'to Tencent: `HandleMsg` (the acceptance message) has no Tencent field',
    },
    {
      vendor: 'openim',
      command: O_DOCS_ERA,
      lost: 'to Tencent: `handleMsg` (the acceptance message) has no Tencent field',
    },
    {
      vendor: 'openim',
      command: O_IMPORT,
      lost: "to Tencent: sent as an admin's forced add (`ClientCmd` `friend_add`, `ForceFlag` 1, as Tencent reports one), with no `Admin_Account`; it reads back as cause `apply`",
    },
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: `ClientCmd`, `Admin_Account` and `ForceFlag` have no OpenIM field; one-way adds become a two-way agree; one call per friendship (or importing owner), each with `operationID` `<event id>-<i>`',
    },
  ],
});
