import type { DataByType } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, eventTime, wholeCall } from './mapping.js';
import {
  changesFromOpenIM,
  changesFromTencent,
  changesToOpenIMEx,
  changesToTencent,
  openimCanCarry,
} from './profileFields.js';

type Updated = DataByType['im.user.profile.updated'];

const T_CMD = 'Profile.CallbackPortraitSet';
const O_EX = 'callbackAfterUpdateUserInfoExCommand';
const O_OLD = 'callbackAfterUpdateUserInfoCommand';

/** OpenIM names no operator and no time for a profile change. */
const updateFromOpenIM = (b: openim.UpdateUserInfo, emptyIsUnchanged: boolean): Updated => ({
  userID: b.userID,
  operatorUserID: '',
  changes: changesFromOpenIM(b, emptyIsUnchanged),
  eventTime: null,
});

/**
 * `im.user.profile.updated`: a user's profile changed (docs/vendors/tencent.md#profile, docs/vendors/openim.md#user-info). Tencent tags every changed
 * field; OpenIM knows only nickname, avatar and `ex`. What one side has and the other lacks is dropped,
 * and a change the target cannot express at all is not sent.
 */
export const profileUpdated = defineMapping({
  type: 'im.user.profile.updated',
  examples: [
    {
      userID: 'alice',
      operatorUserID: 'alice',
      changes: { nickname: 'Alice', gender: 'female', custom: { Tag_Profile_Custom_Team: 'blue' } },
      eventTime: 1795341600000,
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.portraitSet,
      decode: (b): Updated => ({
        userID: b.From_Account,
        operatorUserID: b.Operator_Account ?? '',
        changes: changesFromTencent(b.ProfileItem),
        eventTime: b.EventTime ?? null,
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_EX,
      schema: openim.updateUserInfo,
      decode: (b) => updateFromOpenIM(b, false),
    }),
    decoder({
      vendor: 'openim',
      command: O_OLD,
      schema: openim.updateUserInfo,
      decode: (b) => updateFromOpenIM(b, true),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => {
      const items = changesToTencent(d.changes);
      if (items.length === 0) return [];
      return [
        // Tencent always names an operator: a change OpenIM reports was made by the user (or for them by an admin, which OpenIM does not say).
        wholeCall(T_CMD, {
          CallbackCommand: T_CMD,
          Operator_Account: d.operatorUserID || d.userID,
          From_Account: d.userID,
          EventTime: d.eventTime ?? eventTime(d.meta, ctx),
          ProfileItem: items,
        }),
      ];
    },
    openim: (d) => (openimCanCarry(d.changes) ? [wholeCall(O_EX, changesToOpenIMEx(O_EX, d.userID, d.changes))] : []),
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: every tag but `Tag_Profile_IM_Nick` and `Tag_Profile_IM_Image` (gender, birthday, signature, location, language, level, role, allow type, custom tags), `Operator_Account`, `EventTime`',
    },
    {
      vendor: 'openim',
      command: O_EX,
      lost: 'to Tencent: `ex` has no Tencent tag; `Operator_Account` is the changed user (OpenIM names no operator), `EventTime` when imbridge accepted the callback',
    },
    {
      vendor: 'openim',
      command: O_OLD,
      lost: 'to Tencent: `ex`; `""` reads as "not supplied"; `Operator_Account` is the changed user, `EventTime` when imbridge accepted the callback',
    },
  ],
});
