import type { GroupCreateData } from '../src/canonical/group.js';
import type { Patch, Verdict } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import * as tencent from '../src/vendors/tencent/groupSchemas.js';
import {
  groupTypeToTencent,
  memberList,
  newGroupFromOpenIM,
  newGroupFromTencent,
  openimGroupInfo,
} from './groupFields.js';
import { settleGroupPatch } from './groupVerdicts.js';
import { decoder, defineMapping, eventTime, wholeCall } from './mapping.js';

const T_CMD = 'Group.CallbackBeforeCreateGroup';
const O_CMD = 'callbackBeforeCreateGroupCommand';

/** What OpenIM lets a create-group reply change (Tencent: nothing). */
const PATCHABLE = [
  'groupID',
  'name',
  'notification',
  'introduction',
  'faceURL',
  'ex',
  'needVerification',
  'lookMemberInfo',
] as const satisfies readonly (keyof Patch & keyof GroupCreateData)[];

/** Keeps the values OpenIM applies that differ from the group as requested. */
export function settleCreate(d: GroupCreateData, verdict: Verdict, command: string): Verdict {
  return settleGroupPatch({ ...verdict, items: [] }, command, PATCHABLE, (key, value) =>
    value === d[key as (typeof PATCHABLE)[number]] ? 'same' : 'keep',
  );
}

/**
 * `im.group.create.before`: a user is about to create a group (docs/mappings.md#groups). Tencent
 * names the owner, type, name and first members; OpenIM the whole profile the client asked for, and
 * the members with their roles. Only OpenIM lets the backend change the group.
 */
export const groupCreateBefore = defineMapping({
  type: 'im.group.create.before',
  examples: [
    {
      groupID: '',
      groupType: 'public',
      name: 'Team',
      ownerUserID: 'alice',
      operatorUserID: 'alice',
      members: [
        { userID: 'alice', role: 'owner' },
        { userID: 'bob', role: 'member' },
      ],
      notification: '',
      introduction: '',
      faceURL: '',
      ex: '',
      needVerification: 0,
      lookMemberInfo: 0,
      applyMemberFriend: 0,
      createdGroupCount: 3,
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.beforeCreateGroup,
      decode: (b): GroupCreateData => ({
        groupID: '',
        ...newGroupFromTencent(b),
        createdGroupCount: b.CreateGroupNum ?? null,
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.beforeCreateGroup,
      decode: (b): GroupCreateData => ({ groupID: b.groupID, ...newGroupFromOpenIM(b), createdGroupCount: null }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      wholeCall(T_CMD, {
        CallbackCommand: T_CMD,
        Operator_Account: d.operatorUserID,
        Owner_Account: d.ownerUserID,
        Type: groupTypeToTencent(d.groupType),
        Name: d.name,
        ...(d.createdGroupCount !== null && { CreateGroupNum: d.createdGroupCount }),
        MemberList: memberList(d.members.filter((m) => m.userID !== d.ownerUserID).map((m) => m.userID)),
        EventTime: eventTime(d.meta, ctx),
      }),
    ],
    openim: (d, ctx) => [
      wholeCall(O_CMD, {
        operationID: ctx.operationID ?? '',
        callbackCommand: O_CMD,
        // The client's group as asked: nothing stored yet.
        ...openimGroupInfo(d, { createTime: 0, memberCount: 0 }),
      }),
    ],
  },
  settle: settleCreate,
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: `Type` (every OpenIM group is a working group), `CreateGroupNum`',
    },
    {
      vendor: 'openim',
      command: O_CMD,
      lost: 'to Tencent: the requested `groupID`, `notification`, `introduction`, `faceURL`, `ex`, the three flags, admin roles; a reply cannot change the group',
    },
  ],
});
