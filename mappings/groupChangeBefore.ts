import type {
  MemberJoinPatch,
  MembersJoinData,
  MemberUpdateData,
  GroupInfoUpdateData,
} from '../src/canonical/group.js';
import type { Patch, Verdict } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import {
  groupChangesFromOpenIM,
  groupChangesToOpenIMEx,
  memberChangesFromOpenIM,
  memberChangesToOpenIM,
} from './groupFields.js';
import { settleGroupPatch } from './groupVerdicts.js';
import { decoder, defineMapping, wholeCall } from './mapping.js';

/**
 * OpenIM's before-callbacks that Tencent has only as after-callbacks (docs/mappings.md#groups): a
 * group's profile, members about to be written, a member's fields. They go to OpenIM-format and
 * canonical backends only; a Tencent-format backend hears of them from the after-event, and imbridge
 * answers OpenIM itself (for set-group-info, with the echo OpenIM needs).
 */

const O_INFO = 'callbackBeforeSetGroupInfoCommand';
const O_INFO_EX = 'callbackBeforeSetGroupInfoExCommand';
const O_MEMBERS = 'callbackBeforeMembersJoinGroupCommand';
const O_MEMBER_V37 = 'callbackBeforeMemberJoinGroupCommand';
const O_MEMBER = 'callbackBeforeSetGroupMemberInfoCommand';

const NOT_SENT = 'to Tencent: not sent (Tencent has no such before-callback; the after-event follows)';

/** What a set-group-info reply may change: never `groupID` (it would move the change) or `notification` (not applied). */
const INFO_PATCHABLE = [
  'name',
  'introduction',
  'faceURL',
  'ex',
  'needVerification',
  'lookMemberInfo',
  'applyMemberFriend',
] as const satisfies readonly (keyof Patch)[];

/** The non-Ex form's strings cannot say "clear": `""` there means "no change". */
const NON_EX_STRINGS = new Set<keyof Patch>(['name', 'introduction', 'faceURL']);

export function settleInfo(d: GroupInfoUpdateData, verdict: Verdict, command: string): Verdict {
  return settleGroupPatch({ ...verdict, items: [] }, command, INFO_PATCHABLE, (key, value) => {
    if (value === d.changes[key as keyof GroupInfoUpdateData['changes']]) return 'same';
    return command === O_INFO && NON_EX_STRINGS.has(key) && value === '' ? 'ignore' : 'keep';
  });
}

/** `im.group.info.update.before`: an admin is about to change a group's profile. OpenIM only. */
export const groupInfoUpdateBefore = defineMapping({
  type: 'im.group.info.update.before',
  examples: [{ groupID: 'g1', changes: { name: 'New name', needVerification: 1 } }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_INFO,
      schema: openim.setGroupInfo,
      decode: (b): GroupInfoUpdateData => ({ groupID: b.groupID, changes: groupChangesFromOpenIM(b, false) }),
    }),
    decoder({
      vendor: 'openim',
      command: O_INFO_EX,
      schema: openim.setGroupInfoEx,
      decode: (b): GroupInfoUpdateData => ({ groupID: b.groupID, changes: groupChangesFromOpenIM(b, true) }),
    }),
  ],
  encoders: {
    // In the form the caller used, so the backend's echo is read, and OpenIM answered, in that form;
    // `operationID` is "" as OpenIM sends it. The non-Ex form cannot say "cleared" (`""`, `0`).
    openim: (d, ctx) => {
      if (ctx.command === O_INFO_EX)
        return [
          wholeCall(O_INFO_EX, {
            callbackCommand: O_INFO_EX,
            operationID: '',
            groupID: d.groupID,
            ...groupChangesToOpenIMEx(d.changes),
          }),
        ];
      const c = d.changes;
      return [
        wholeCall(O_INFO, {
          callbackCommand: O_INFO,
          operationID: '',
          groupID: d.groupID,
          groupName: c.name ?? '',
          notification: c.notification ?? '',
          introduction: c.introduction ?? '',
          faceURL: c.faceURL ?? '',
          ex: c.ex ?? '',
          needVerification: c.needVerification ?? 0,
          lookMemberInfo: c.lookMemberInfo ?? 0,
          applyMemberFriend: c.applyMemberFriend ?? 0,
        }),
      ];
    },
  },
  settle: settleInfo,
  losses: [
    { vendor: 'openim', command: O_INFO, lost: NOT_SENT },
    { vendor: 'openim', command: O_INFO_EX, lost: NOT_SENT },
  ],
});

/**
 * Keeps member values for members about to join, never making one an owner (OpenIM does not check
 * roles a reply sets, so a second owner would be created).
 */
export function settleMembersJoin(d: MembersJoinData, verdict: Verdict, command: string): Verdict {
  const settled = settleGroupPatch({ ...verdict, items: [] }, command, ['members']);
  if (!settled.patch.members) return settled;
  const joining = new Set(d.members.map((m) => m.userID));
  let ownerDropped = false;
  const members: MemberJoinPatch[] = [];
  for (const m of settled.patch.members) {
    if (!joining.has(m.userID) || members.some((x) => x.userID === m.userID)) continue;
    const { role, ...rest } = m;
    if (role === 'owner') ownerDropped = true;
    const kept: MemberJoinPatch = role === undefined || role === 'owner' ? rest : { ...rest, role };
    if (Object.keys(kept).length > 1) members.push(kept);
  }
  const patch = { ...settled.patch };
  if (members.length > 0) patch.members = members;
  else delete patch.members;
  const out: Verdict = { ...settled, patch };
  if (ownerDropped) out.ignored = [...(settled.ignored ?? []), 'members[].role'];
  return out;
}

/** `im.group.members.join.before`: members are about to be written to a group (any way in). OpenIM only. */
export const groupMembersJoinBefore = defineMapping({
  type: 'im.group.members.join.before',
  examples: [{ groupID: 'g1', groupEx: '', members: [{ userID: 'erin', ex: '' }] }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_MEMBERS,
      schema: openim.beforeMembersJoinGroup,
      decode: (b): MembersJoinData => ({
        groupID: b.groupID,
        groupEx: b.groupEx ?? '',
        members: (b.memberList ?? []).map((m) => ({ userID: m.userID, ex: m.ex ?? '' })),
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_MEMBER_V37,
      schema: openim.beforeMemberJoinGroup,
      decode: (b): MembersJoinData => ({
        groupID: b.groupID,
        groupEx: b.groupEx ?? '',
        members: [{ userID: b.userID, ex: b.ex ?? '' }],
      }),
    }),
  ],
  encoders: {
    // One batched call, also for a v3.7 caller: the reply is read per member either way.
    openim: (d) => [
      wholeCall(O_MEMBERS, {
        callbackCommand: O_MEMBERS,
        groupID: d.groupID,
        memberList: d.members.map((m) => ({ userID: m.userID, ex: m.ex })),
        groupEx: d.groupEx,
      }),
    ],
  },
  settle: settleMembersJoin,
  losses: [
    { vendor: 'openim', command: O_MEMBERS, lost: NOT_SENT },
    { vendor: 'openim', command: O_MEMBER_V37, lost: `${NOT_SENT}; to OpenIM: sent as the batched v3.8 command` },
  ],
});

export function settleMemberUpdate(_d: MemberUpdateData, verdict: Verdict, command: string): Verdict {
  return settleGroupPatch({ ...verdict, items: [] }, command, ['nickname', 'faceURL', 'role', 'ex'], (key, value) =>
    key === 'role' && value === 'owner' ? 'ignore' : 'keep',
  );
}

/** `im.group.member.update.before`: a member's group fields are about to change. OpenIM only. */
export const groupMemberUpdateBefore = defineMapping({
  type: 'im.group.member.update.before',
  examples: [{ groupID: 'g1', userID: 'bob', changes: { nickname: 'Bobby', role: 'admin' } }],
  decoders: [
    decoder({
      vendor: 'openim',
      command: O_MEMBER,
      schema: openim.setGroupMemberInfo,
      decode: (b): MemberUpdateData => ({ groupID: b.groupID, userID: b.userID, changes: memberChangesFromOpenIM(b) }),
    }),
  ],
  encoders: {
    openim: (d) => [
      wholeCall(O_MEMBER, {
        callbackCommand: O_MEMBER,
        groupID: d.groupID,
        userID: d.userID,
        ...memberChangesToOpenIM(d.changes),
      }),
    ],
  },
  settle: settleMemberUpdate,
  losses: [{ vendor: 'openim', command: O_MEMBER, lost: NOT_SENT }],
});
