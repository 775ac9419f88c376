import fc from 'fast-check';
import type { ApplyTarget, DataByType, ProfileChanges, RegisterUser, RespondItem } from '../../src/canonical/types.js';
import { userID } from './translate.js';

/** Free text as users type it: any unicode, HTML-special characters, empty. */
export const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '<b>&amp;</b>', '\u2028'),
);
const int = fc.integer({ min: 0, max: 2 ** 31 - 1 });

const applyTarget = (over: Partial<Record<keyof ApplyTarget, fc.Arbitrary<string>>> = {}) =>
  fc.record({ toUserID: userID, message: text, remark: text, group: text, source: text, ex: text, ...over });

/** Everything a Tencent PrevFriendAdd can say (no `ex`). */
export const applyFromTencent: fc.Arbitrary<DataByType['im.friend.apply.before']> = fc.record({
  fromUserID: userID,
  requesterUserID: userID,
  addType: fc.constantFrom('both' as const, 'single' as const),
  force: fc.boolean(),
  targets: fc.array(applyTarget({ ex: fc.constant('') }), { maxLength: 500 }),
});

/** Everything an OpenIM callbackBeforeAddFriendCommand can say. */
export const applyFromOpenIM: fc.Arbitrary<DataByType['im.friend.apply.before']> = fc
  .tuple(userID, applyTarget({ remark: fc.constant(''), group: fc.constant(''), source: fc.constant('') }))
  .map(([from, target]) => ({
    fromUserID: from,
    requesterUserID: from,
    addType: 'both',
    force: false,
    targets: [target],
  }));

const respondItem = (over: Partial<{ [K in keyof RespondItem]: fc.Arbitrary<RespondItem[K]> }> = {}) =>
  fc.record({
    applicantUserID: userID,
    action: fc.constantFrom<RespondItem['action']>('agree', 'agree_and_add', 'reject'),
    remark: text,
    group: text,
    message: text,
    ...over,
  });

export const respondFromTencent: fc.Arbitrary<DataByType['im.friend.respond.before']> = fc.record({
  responderUserID: userID,
  items: fc.array(respondItem({ message: fc.constant('') }), { maxLength: 500 }),
});

export const respondFromOpenIM: fc.Arbitrary<DataByType['im.friend.respond.before']> = fc.record({
  responderUserID: userID,
  items: fc
    .tuple(respondItem({ action: fc.constant('agree_and_add'), remark: fc.constant(''), group: fc.constant('') }))
    .map((t) => [...t]),
});

export const remark = fc.record({ ownerUserID: userID, friendUserID: userID, remark: text });
export const blackPair = fc.record({ ownerUserID: userID, blackUserID: userID });

/** Changes Tencent can express: everything but `ex`; custom tags are `Tag_Profile_Custom_*`. */
export const tencentChanges: fc.Arbitrary<ProfileChanges> = fc.record(
  {
    nickname: text,
    faceURL: text,
    gender: fc.constantFrom('unknown' as const, 'female' as const, 'male' as const),
    birthday: int,
    signature: text,
    location: text,
    language: int,
    level: int,
    role: int,
    allowType: fc.constantFrom('need_confirm' as const, 'allow_any' as const, 'deny_any' as const),
    custom: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).map((k) => `Tag_Profile_Custom_${k}`),
      fc.oneof(text, int),
      { minKeys: 1, maxKeys: 4 },
    ),
  },
  { requiredKeys: [] },
);

/** Changes OpenIM can express: nickname, faceURL, ex, each present or not. */
export const openimChanges: fc.Arbitrary<ProfileChanges> = fc.record(
  { nickname: text, faceURL: text, ex: text },
  { requiredKeys: [] },
);

export const registerUser: fc.Arbitrary<RegisterUser> = fc.record({
  userID,
  nickname: text,
  faceURL: text,
  ex: text,
  createTime: fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  appManagerLevel: int,
  globalRecvMsgOpt: int,
});
