import type { DataByType, RespondAction } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import * as tencent from '../src/vendors/tencent/schemas.js';
import { decoder, defineMapping, eventTime } from './mapping.js';

type RespondBefore = DataByType['im.friend.respond.before'];

const T_CMD = 'Sns.CallbackPrevFriendResponse';
const O_CMD = 'callbackBeforeAddFriendAgreeCommand';

const ACTIONS: Record<(typeof tencent.RESPONSE_ACTIONS)[number], RespondAction> = {
  Response_Action_Agree: 'agree',
  Response_Action_AgreeAndAdd: 'agree_and_add',
  Response_Action_Reject: 'reject',
};
const TENCENT_ACTION = Object.fromEntries(Object.entries(ACTIONS).map(([raw, a]) => [a, raw]));

/**
 * `im.friend.respond.before`: a user is about to answer friend requests (docs/vendors/tencent.md#friend-response, docs/vendors/openim.md#friend-agree). OpenIM fires only
 * on acceptance (`HandleResult` 1) and its acceptance always makes a two-way friendship, so it reads as
 * `agree_and_add`. To an OpenIM backend each accepted item is one call; refusals get no call (OpenIM
 * never asks about them) and are allowed.
 */
export const friendRespondBefore = defineMapping({
  type: 'im.friend.respond.before',
  examples: [
    {
      responderUserID: 'bob',
      items: [{ applicantUserID: 'alice', action: 'agree_and_add', remark: 'Alice', group: 'work', message: '' }],
    },
  ],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: tencent.prevFriendResponse,
      decode: (b): RespondBefore => ({
        responderUserID: b.From_Account,
        items: b.ResponseFriendItem.map((i) => ({
          applicantUserID: i.To_Account,
          action: ACTIONS[i.ResponseAction],
          remark: i.Remark ?? '',
          group: i.TagName ?? '',
          message: '',
        })),
      }),
    }),
    decoder({
      vendor: 'openim',
      command: O_CMD,
      schema: openim.addFriendAgree,
      decode: (b): RespondBefore => ({
        responderUserID: openim.agreeResponder(b),
        items: [
          {
            applicantUserID: b.fromUserID,
            action: 'agree_and_add',
            remark: '',
            group: '',
            message: b.HandleMsg ?? b.handleMsg ?? '',
          },
        ],
      }),
    }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      {
        command: T_CMD,
        body: {
          CallbackCommand: T_CMD,
          Requester_Account: d.responderUserID,
          From_Account: d.responderUserID,
          ResponseFriendItem: d.items.map((i) => ({
            To_Account: i.applicantUserID,
            Remark: i.remark,
            TagName: i.group,
            ResponseAction: TENCENT_ACTION[i.action],
          })),
          EventTime: eventTime(d.meta, ctx),
        },
        targets: d.items.map((i) => i.applicantUserID),
      },
    ],
    openim: (d) =>
      d.items
        .filter((i) => i.action !== 'reject')
        .map((i) => ({
          command: O_CMD,
          body: {
            callbackCommand: O_CMD,
            fromUserID: i.applicantUserID,
            blackUserID: d.responderUserID,
            HandleResult: 1,
            HandleMsg: i.message,
          },
          targets: [i.applicantUserID],
        })),
  },
  targets: (d) => d.items.map((i) => i.applicantUserID),
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: '`Requester_Account` when it differs from `From_Account`; to OpenIM: `Remark`, `TagName`, and agree vs agree-and-add; refusals are not sent; one call per accepted item, each with `operationID` `<event id>-<i>`',
    },
    { vendor: 'openim', command: O_CMD, lost: 'to Tencent: `HandleMsg` has no Tencent field' },
  ],
});
