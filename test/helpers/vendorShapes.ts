/**
 * What each vendor's own server really sends, strictly, for every command imbridge sends a backend —
 * used only by tests, to check imbridge's encoders against the vendor rather than against imbridge's
 * own lenient decoders (which accept docs-era spellings and missing keys). Every key the vendor's
 * server always writes is required, in the order it writes them, with its exact JSON type, and no other
 * key is allowed. Sources: docs/vendors/openim.md (Go struct tags and field order; no omitempty, so every
 * field is always there) and docs/vendors/tencent.md (the documented request samples).
 */

/** A JSON type: a scalar, a nullable one, a list of a shape, or a nested shape. */
type Kind =
  | 'string'
  | 'int'
  | 'string|null'
  | 'string[]|null'
  | 'int[]|null'
  | 'string|int'
  | 'int|null'
  | 'bool'
  | 'object'
  | { list: Shape; nullable?: boolean }
  | { shape: Shape };
/** Keys in the order the vendor's server writes them, each with its kind; a key ending in `?` may be absent. */
type Shape = [key: string, kind: Kind][];

const userInfo: Shape = [
  ['userID', 'string'],
  ['nickname', 'string'],
  ['faceURL', 'string'],
  ['ex', 'string'],
  ['createTime', 'int'],
  ['appMangerLevel', 'int'],
  ['globalRecvMsgOpt', 'int'],
];
const agree: Shape = [
  ['callbackCommand', 'string'],
  ['fromUserID', 'string'],
  ['blackUserID', 'string'],
  ['HandleResult', 'int'],
  ['HandleMsg', 'string'],
];
const remark: Shape = [
  ['callbackCommand', 'string'],
  ['ownerUserID', 'string'],
  ['friendUserID', 'string'],
  ['remark', 'string'],
];
const imports: Shape = [
  ['callbackCommand', 'string'],
  ['ownerUserID', 'string'],
  ['friendUserIDs', 'string[]|null'],
];
const userInfoEx: Shape = [
  ['callbackCommand', 'string'],
  ['userID', 'string'],
  ['nickName', 'string|null'],
  ['faceURL', 'string|null'],
  ['ex', 'string|null'],
];
const blackPair: Shape = [
  ['callbackCommand', 'string'],
  ['ownerUserID', 'string'],
  ['blackUserID', 'string'],
];
/** OpenIM's `CommonCallbackReq`, the start of every message callback (docs/vendors/openim.md#messages). */
const commonMsg: Shape = [
  ['sendID', 'string'],
  ['callbackCommand', 'string'],
  ['serverMsgID', 'string'],
  ['clientMsgID', 'string'],
  ['operationID', 'string'],
  ['senderPlatformID', 'int'],
  ['senderNickname', 'string'],
  ['sessionType', 'int'],
  ['msgFrom', 'int'],
  ['contentType', 'int'],
  ['status', 'int'],
  ['sendTime', 'int'],
  ['createTime', 'int'],
  ['content', 'string'],
  ['seq', 'int'],
  ['atUserList', 'string[]|null'],
  ['faceURL', 'string'],
  ['ex', 'string'],
];
const toUser: Shape = [...commonMsg, ['recvID', 'string']];
const toGroup: Shape = [...commonMsg, ['groupID', 'string']];
/** `UserStatusCallbackReq`, the start of every presence callback (docs/vendors/openim.md#presence). */
const userStatus: Shape = [
  ['callbackCommand', 'string'],
  ['operationID', 'string'],
  ['platformID', 'int'],
  ['platform', 'string'],
  ['userID', 'string'],
];
/** `sdkws.GroupInfo`, flattened into OpenIM's create bodies (docs/vendors/openim.md#groups). */
const groupInfo: Shape = [
  ['groupID', 'string'],
  ['groupName', 'string'],
  ['notification', 'string'],
  ['introduction', 'string'],
  ['faceURL', 'string'],
  ['ownerUserID', 'string'],
  ['createTime', 'int'],
  ['memberCount', 'int'],
  ['ex', 'string'],
  ['status', 'int'],
  ['creatorUserID', 'string'],
  ['groupType', 'int'],
  ['needVerification', 'int'],
  ['lookMemberInfo', 'int'],
  ['applyMemberFriend', 'int'],
  ['notificationUpdateTime', 'int'],
  ['notificationUserID', 'string'],
];
const register: Shape = [
  ['callbackCommand', 'string'],
  ['users', { list: userInfo, nullable: true }],
];

/** OpenIM's request bodies (Go structs in `pkg/callbackstruct`), by command. */
export const OPENIM_SHAPES: Record<string, Shape> = {
  callbackBeforeAddFriendCommand: [
    ['callbackCommand', 'string'],
    ['fromUserID', 'string'],
    ['toUserID', 'string'],
    ['reqMsg', 'string'],
    ['ex', 'string'],
  ],
  callbackAfterAddFriendCommand: [
    ['callbackCommand', 'string'],
    ['fromUserID', 'string'],
    ['toUserID', 'string'],
    ['reqMsg', 'string'],
  ],
  callbackBeforeAddFriendAgreeCommand: agree,
  callbackAfterAddFriendAgreeCommand: agree,
  callbackAfterDeleteFriendCommand: [
    ['callbackCommand', 'string'],
    ['ownerUserID', 'string'],
    ['friendUserID', 'string'],
  ],
  callbackBeforeImportFriendsCommand: imports,
  callbackAfterImportFriendsCommand: imports,
  callbackBeforeAddBlackCommand: blackPair,
  callbackAfterRemoveBlackCommand: blackPair,
  callbackBeforeSetFriendRemarkCommand: remark,
  callbackAfterSetFriendRemarkCommand: remark,
  callbackBeforeUpdateUserInfoExCommand: userInfoEx,
  callbackAfterUpdateUserInfoExCommand: userInfoEx,
  callbackBeforeUserRegisterCommand: register,
  callbackAfterUserRegisterCommand: register,
  callbackBeforeSendSingleMsgCommand: toUser,
  callbackAfterSendSingleMsgCommand: toUser,
  callbackBeforeSendGroupMsgCommand: toGroup,
  callbackAfterSendGroupMsgCommand: toGroup,
  callbackBeforeMsgModifyCommand: commonMsg,
  callbackAfterMsgSaveDBCommand: [...commonMsg, ['recvID', 'string'], ['groupID', 'string']],
  callbackAfterSingleMsgReadCommand: [
    ['callbackCommand', 'string'],
    ['conversationID', 'string'],
    ['userID', 'string'],
    ['Seqs', 'int[]|null'],
    ['contentType', 'int'],
  ],
  callbackAfterGroupMsgReadCommand: [
    ['callbackCommand', 'string'],
    ['sendID', 'string'],
    ['receiveID', 'string'],
    ['unreadMsgNum', 'int'],
    ['contentType', 'int'],
  ],
  callbackBeforeAfterMsgCommand: [
    ['callbackCommand', 'string'],
    ['conversationID', 'string'],
    ['seq', 'int'],
    ['userID', 'string'],
  ],
  callbackAfterUserOnlineCommand: [...userStatus, ['seq', 'int'], ['isAppBackground', 'bool'], ['connID', 'string']],
  callbackAfterUserOfflineCommand: [...userStatus, ['seq', 'int'], ['connID', 'string']],
  callbackBeforeCreateGroupCommand: [
    ['operationID', 'string'],
    ['callbackCommand', 'string'],
    ...groupInfo,
    [
      'initMemberList',
      {
        list: [
          ['userID', 'string'],
          ['roleLevel', 'int'],
        ],
        nullable: true,
      },
    ],
  ],
  callbackBeforeSetGroupInfoCommand: [
    ['callbackCommand', 'string'],
    ['operationID', 'string'],
    ['groupID', 'string'],
    ['groupName', 'string'],
    ['notification', 'string'],
    ['introduction', 'string'],
    ['faceURL', 'string'],
    ['ex', 'string'],
    ['needVerification', 'int'],
    ['lookMemberInfo', 'int'],
    ['applyMemberFriend', 'int'],
  ],
  callbackBeforeJoinGroupCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['groupType', 'string'],
    ['applyID', 'string'],
    ['reqMessage', 'string'],
    ['ex', 'string'],
  ],
  callbackBeforeInviteJoinGroupCommand: [
    ['callbackCommand', 'string'],
    ['operationID', 'string'],
    ['groupID', 'string'],
    ['reason', 'string'],
    ['invitedUserIDs', 'string[]|null'],
  ],
  callbackBeforeMembersJoinGroupCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    [
      'memberList',
      {
        list: [
          ['userID', 'string'],
          ['ex', 'string'],
        ],
        nullable: true,
      },
    ],
    ['groupEx', 'string'],
  ],
  callbackAfterCreateGroupCommand: [
    ['callbackCommand', 'string'],
    ...groupInfo,
    [
      'initMemberList',
      {
        list: [
          ['userID', 'string'],
          ['roleLevel', 'int'],
        ],
        nullable: true,
      },
    ],
  ],
  callbackAfterDisMissGroupCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['ownerID', 'string'],
    ['groupType', 'string'],
    ['membersID', 'string[]|null'],
  ],
  callbackBeforeSetGroupInfoExCommand: [
    ['callbackCommand', 'string'],
    ['operationID', 'string'],
    ['groupID', 'string'],
    ['groupName', 'string|null'],
    ['notification', 'string|null'],
    ['introduction', 'string|null'],
    ['faceURL', 'string|null'],
    ['ex', 'string|null'],
    ['needVerification', 'int|null'],
    ['lookMemberInfo', 'int|null'],
    ['applyMemberFriend', 'int|null'],
  ],
  callbackAfterSetGroupInfoExCommand: [
    ['callbackCommand', 'string'],
    ['operationID', 'string'],
    ['groupID', 'string'],
    ['groupName', 'string|null'],
    ['notification', 'string|null'],
    ['introduction', 'string|null'],
    ['faceURL', 'string|null'],
    ['ex', 'string|null'],
    ['needVerification', 'int|null'],
    ['lookMemberInfo', 'int|null'],
    ['applyMemberFriend', 'int|null'],
  ],
  callbackAfterTransferGroupOwnerCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['oldOwnerUserID', 'string'],
    ['newOwnerUserID', 'string'],
  ],
  callbackAfterJoinGroupCommand: [
    ['callbackCommand', 'string'],
    ['operationID', 'string'],
    ['groupID', 'string'],
    ['reqMessage', 'string'],
    ['joinSource', 'int'],
    ['inviterUserID', 'string'],
  ],
  callbackAfterQuitGroupCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['userID', 'string'],
  ],
  callbackAfterKickGroupCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['kickedUserIDs', 'string[]|null'],
    ['reason', 'string'],
  ],
  callbackBeforeSetGroupMemberInfoCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['userID', 'string'],
    ['nickName', 'string|null'],
    ['faceURL', 'string|null'],
    ['roleLevel', 'int|null'],
    ['ex', 'string|null'],
  ],
  callbackAfterSetGroupMemberInfoCommand: [
    ['callbackCommand', 'string'],
    ['groupID', 'string'],
    ['userID', 'string'],
    ['nickName', 'string|null'],
    ['faceURL', 'string|null'],
    ['roleLevel', 'int|null'],
    ['ex', 'string|null'],
  ],
};

const pairList: Shape = [
  ['CallbackCommand', 'string'],
  [
    'PairList',
    {
      list: [
        ['From_Account', 'string'],
        ['To_Account', 'string'],
      ],
    },
  ],
];

/** A `MsgBody`: element contents are checked by the element codec's own tests. */
const msgBody: Kind = {
  list: [
    ['MsgType', 'string'],
    ['MsgContent', 'object'],
  ],
};
const c2cMsg = (after: boolean): Shape => [
  ['CallbackCommand', 'string'],
  ['From_Account', 'string'],
  ['To_Account', 'string'],
  ['MsgSeq', 'int'],
  ['MsgRandom', 'int'],
  ['MsgTime', 'int'],
  ['MsgKey', 'string'],
  ['OnlineOnlyFlag', 'int'],
  ...(after
    ? ([
        ['SendMsgResult', 'int'],
        ['ErrorInfo', 'string'],
        ['UnreadMsgNum', 'int'],
      ] as Shape)
    : []),
  ['MsgBody', msgBody],
  ['CloudCustomData', 'string'],
];
const groupMsg = (extra: { after?: boolean; error?: boolean }): Shape => [
  ['CallbackCommand', 'string'],
  ['GroupId', 'string'],
  ['Type', 'string'],
  ['From_Account', 'string'],
  ['Operator_Account', 'string'],
  ['Random', 'int'],
  ...(extra.after
    ? ([
        ['MsgSeq', 'int'],
        ['MsgTime', 'int'],
      ] as Shape)
    : []),
  ['OnlineOnlyFlag', 'int'],
  ['MsgBody', msgBody],
  ['CloudCustomData', 'string'],
  ...(extra.error
    ? ([
        ['ErrorCode', 'int'],
        ['ErrorInfo', 'string'],
      ] as Shape)
    : []),
  ['EventTime', 'string|int'],
];

/** Tencent's group member lists: `[{ "Member_Account": … }]`. */
const members: Shape = [['Member_Account', 'string']];
/** The keys every Tencent group callback starts with. */
const groupHead: Shape = [
  ['CallbackCommand', 'string'],
  ['GroupId', 'string'],
  ['Type', 'string'],
];

/** Tencent's request bodies (the documented samples), by command. */
export const TENCENT_SHAPES: Record<string, Shape> = {
  'Sns.CallbackPrevFriendAdd': [
    ['CallbackCommand', 'string'],
    ['Requester_Account', 'string'],
    ['From_Account', 'string'],
    [
      'FriendItem',
      {
        list: [
          ['To_Account', 'string'],
          ['Remark', 'string'],
          ['GroupName', 'string'],
          ['AddSource', 'string'],
          ['AddWording', 'string'],
        ],
      },
    ],
    ['AddType', 'string'],
    ['ForceAddFlags', 'int'],
    ['EventTime', 'int'],
  ],
  'Sns.CallbackPrevFriendResponse': [
    ['CallbackCommand', 'string'],
    ['Requester_Account', 'string'],
    ['From_Account', 'string'],
    [
      'ResponseFriendItem',
      {
        list: [
          ['To_Account', 'string'],
          ['Remark', 'string'],
          ['TagName', 'string'],
          ['ResponseAction', 'string'],
        ],
      },
    ],
    ['EventTime', 'int'],
  ],
  'Sns.CallbackFriendAdd': [
    ['CallbackCommand', 'string'],
    [
      'PairList',
      {
        list: [
          ['From_Account', 'string'],
          ['To_Account', 'string'],
          ['Initiator_Account', 'string'],
        ],
      },
    ],
    ['ClientCmd', 'string'],
    ['Admin_Account', 'string'],
    ['ForceFlag', 'int'],
  ],
  'Sns.CallbackFriendDelete': pairList,
  'Sns.CallbackBlackListAdd': pairList,
  'Sns.CallbackBlackListDelete': pairList,
  'Profile.CallbackPortraitSet': [
    ['CallbackCommand', 'string'],
    ['Operator_Account', 'string'],
    ['From_Account', 'string'],
    ['EventTime', 'int'],
    [
      'ProfileItem',
      {
        list: [
          ['Tag', 'string'],
          ['Value', 'string|int'],
        ],
      },
    ],
  ],
  'C2C.CallbackBeforeSendMsg': c2cMsg(false),
  'C2C.CallbackAfterSendMsg': c2cMsg(true),
  'Group.CallbackBeforeSendMsg': groupMsg({}),
  'Group.CallbackAfterSendMsg': groupMsg({ after: true }),
  'Group.CallbackSendMsgException': groupMsg({ error: true }),
  'C2C.CallbackAfterMsgReport': [
    ['CallbackCommand', 'string'],
    ['Report_Account', 'string'],
    ['Peer_Account', 'string'],
    ['LastReadTime', 'int'],
    ['UnreadMsgNum', 'int'],
  ],
  'C2C.CallbackAfterMsgWithDraw': [
    ['CallbackCommand', 'string'],
    ['From_Account', 'string'],
    ['To_Account', 'string'],
    ['MsgKey', 'string'],
    ['UnreadMsgNum', 'int'],
  ],
  'Group.CallbackAfterRecallMsg': [
    ['CallbackCommand', 'string'],
    ['Operator_Account', 'string'],
    ['Type', 'string'],
    ['GroupId', 'string'],
    ['MsgSeqList', { list: [['MsgSeq', 'int']] }],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterReadReceipt': [
    ['CallbackCommand', 'string'],
    ['GroupId', 'string'],
    ['Type', 'string'],
    [
      'GroupMsgReceiptList',
      {
        list: [
          ['MsgSeq', 'int'],
          ['ReadNum', 'int'],
          ['UnreadNum', 'int'],
          ['ReadReceiptMembers', { list: [['Member_Account', 'string']] }],
        ],
      },
    ],
    ['EventTime', 'string|int'],
  ],
  'State.StateChange': [
    ['CallbackCommand', 'string'],
    ['EventTime', 'int'],
    [
      'Info',
      {
        shape: [
          ['Action', 'string'],
          ['To_Account', 'string'],
          ['Reason', 'string'],
        ],
      },
    ],
    ['KickedDevice?', { list: [['Platform', 'string']] }],
  ],
  'Group.CallbackBeforeCreateGroup': [
    ['CallbackCommand', 'string'],
    ['Operator_Account', 'string'],
    ['Owner_Account', 'string'],
    ['Type', 'string'],
    ['Name', 'string'],
    ['CreateGroupNum?', 'int'],
    ['MemberList', { list: members }],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackBeforeApplyJoinGroup': [...groupHead, ['Requestor_Account', 'string'], ['EventTime', 'string|int']],
  'Group.CallbackBeforeInviteJoinGroup': [
    ...groupHead,
    ['Operator_Account', 'string'],
    ['DestinationMembers', { list: members }],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterCreateGroup': [
    ['CallbackCommand', 'string'],
    ['GroupId', 'string'],
    ['Operator_Account', 'string'],
    ['Owner_Account', 'string'],
    ['Type', 'string'],
    ['Name', 'string'],
    ['MemberList', { list: members }],
    [
      'UserDefinedDataList?',
      {
        list: [
          ['Key', 'string'],
          ['Value', 'string'],
        ],
      },
    ],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterGroupDestroyed': [
    ...groupHead,
    ['Owner_Account', 'string'],
    ['Name?', 'string'],
    ['MemberList', { list: members }],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterGroupInfoChanged': [
    ...groupHead,
    ['Operator_Account', 'string'],
    ['Name?', 'string'],
    ['Introduction?', 'string'],
    ['Notification?', 'string'],
    ['FaceUrl?', 'string'],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterChangeGroupOwner': [
    ...groupHead,
    ['Operator_Account', 'string'],
    ['OldOwner_Account', 'string'],
    ['NewOwner_Account', 'string'],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterNewMemberJoin': [
    ...groupHead,
    ['JoinType', 'string'],
    ['Operator_Account', 'string'],
    ['NewMemberList', { list: members }],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterMemberExit': [
    ...groupHead,
    ['ExitType', 'string'],
    ['Operator_Account', 'string'],
    ['ExitMemberList', { list: members }],
    ['EventTime?', 'string|int'],
  ],
  'Group.CallbackAfterMemberFieldChanged': [
    ...groupHead,
    ['Operator_Account', 'string'],
    ['Member_Account', 'string'],
    ['Role?', 'string'],
    ['NameCard?', 'string'],
    ['EventTime', 'string|int'],
  ],
  'Group.CallbackAfterGroupFull': [
    ['CallbackCommand', 'string'],
    ['GroupId', 'string'],
    ['Type?', 'string'],
    ['EventTime', 'string|int'],
  ],
};

function checkKind(value: unknown, kind: Kind, at: string): string[] {
  if (typeof kind === 'object' && 'shape' in kind) return checkShape(value, kind.shape, at);
  if (typeof kind === 'object') {
    if (value === null && kind.nullable) return [];
    if (!Array.isArray(value)) return [`${at} must be a list`];
    return value.flatMap((v, i) => checkShape(v, kind.list, `${at}[${i}]`));
  }
  const ok: Record<typeof kind, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    int: (v) => Number.isInteger(v),
    'string|null': (v) => v === null || typeof v === 'string',
    'string[]|null': (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
    'int[]|null': (v) => v === null || (Array.isArray(v) && v.every((x) => Number.isInteger(x))),
    'string|int': (v) => typeof v === 'string' || Number.isInteger(v),
    bool: (v) => typeof v === 'boolean',
    'int|null': (v) => v === null || Number.isInteger(v),
    object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  };
  return ok[kind](value) ? [] : [`${at} must be ${kind}, is ${JSON.stringify(value)}`];
}

function checkShape(value: unknown, shape: Shape, at: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at} must be an object`];
  const keys = Object.keys(value);
  const present = shape
    .map(([k, kind]): [string, Kind, boolean] => [k.replace(/\?$/, ''), kind, k.endsWith('?')])
    .filter(([k, , optional]) => !optional || keys.includes(k));
  const expected = present.map(([k]) => k);
  if (keys.join() !== expected.join())
    return [`${at} has keys ${keys.join(', ')}; the vendor sends ${expected.join(', ')}`];
  return present.flatMap(([k, kind]) => checkKind((value as Record<string, unknown>)[k], kind, at ? `${at}.${k}` : k));
}

/**
 * What is wrong with `body` as the vendor's server would send `command` (empty when nothing is). A
 * command without a shape is a problem too: every command imbridge sends must be described here.
 */
export function vendorProblems(vendor: 'tencent' | 'openim', command: string, body: unknown): string[] {
  const shape = (vendor === 'tencent' ? TENCENT_SHAPES : OPENIM_SHAPES)[command];
  if (!shape) return [`no strict ${vendor} shape for ${command}`];
  return checkShape(body, shape, '');
}
