import type { OfflineData, OfflineReason, OnlineData, Platform } from '../src/canonical/group.js';
import type { Meta } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/groupSchemas.js';
import { stateAction, stateChange, type StateChange } from '../src/vendors/tencent/groupSchemas.js';
import { decoder, defineMapping, eventTime, wholeCall, type EncodeContext, type OutboundCall } from './mapping.js';
import {
  openimPlatformID,
  openimPlatformName,
  platformFromOpenIM,
  platformFromTencent,
  platformToTencent,
} from './platforms.js';

/**
 * Online status (docs/mappings.md#presence): Tencent reports every change as one `State.StateChange`
 * whose `Info.Action` says which; OpenIM has a command per change. imbridge keeps no presence state:
 * each report is forwarded as it comes (OpenIM re-sends online for every remaining connection).
 */

const T_CMD = 'State.StateChange';
const O_ONLINE = 'callbackAfterUserOnlineCommand';
const O_OFFLINE = 'callbackAfterUserOfflineCommand';
const O_KICK = 'callbackAfterUserKickOffCommand';
/** The v3.5/v3.6 names, read as the current ones (docs/vendors/openim.md#versions). */
const O_OLD_ONLINE = 'callbackUserOnlineCommand';
const O_OLD_OFFLINE = 'callbackUserOfflineCommand';
const O_OLD_KICK = 'callbackUserKickOffCommand';

/** OpenIM's `seq` is a ms timestamp since v3.8.2; before, a counter, which says nothing about time. */
const SEQ_IS_TIME = 1e12;

/** An OpenIM report's time is its `seq` when that is one; else the time imbridge received it. */
function timeFromSeq(meta: Meta, seq: number | undefined): void {
  if (seq !== undefined && seq >= SEQ_IS_TIME) meta.eventTime = seq;
}

/**
 * Which decoder takes a `State.StateChange`, by `Info.Action`. A body without a string `Action` goes to
 * the online decoder, whose schema refuses it naming the field; an `Action` neither knows is answered
 * by imbridge and not sent.
 */
const whenAction =
  (actions: string[], orMalformed = false) =>
  (body: unknown) => {
    const action = stateAction(body);
    return typeof action === 'string' ? actions.includes(action) : orMalformed;
  };

function tencentOffline(b: StateChange, meta: Meta): OfflineData {
  const reason: OfflineReason =
    b.Info.Action === 'Logout' ? 'logout' : b.Info.Reason === 'TimeOut' ? 'timeout' : 'disconnect';
  return { userID: b.Info.To_Account, platform: platformFromTencent(meta.platform), reason, connID: '' };
}

/** The keys every OpenIM presence body starts with, in Go's order. */
function openimStatus(command: string, userID: string, platform: Platform, ctx: EncodeContext) {
  return {
    callbackCommand: command,
    operationID: ctx.operationID ?? '',
    platformID: openimPlatformID(platform),
    platform: openimPlatformName(platform),
    userID,
  };
}

function openimOffline(d: OfflineData & { meta?: Meta }, platform: Platform, ctx: EncodeContext): OutboundCall {
  return wholeCall(O_OFFLINE, {
    ...openimStatus(O_OFFLINE, d.userID, platform, ctx),
    seq: eventTime(d.meta, ctx),
    connID: d.connID,
  });
}

function fromOpenIMOffline(reason: OfflineReason) {
  return (b: openim.UserOffline | openim.UserKickOff, meta: Meta): OfflineData => {
    timeFromSeq(meta, b.seq);
    return {
      userID: b.userID,
      platform: platformFromOpenIM(b.platformID, b.platform),
      reason,
      connID: 'connID' in b ? (b.connID ?? '') : '',
    };
  };
}

function fromOpenIMOnline(b: openim.UserOnline, meta: Meta): OnlineData {
  timeFromSeq(meta, b.seq);
  return {
    userID: b.userID,
    platform: platformFromOpenIM(b.platformID, b.platform),
    background: b.isAppBackground ?? false,
    kickedPlatforms: [],
    connID: b.connID ?? '',
  };
}

/** `im.user.online`: a client connected (Tencent `Login`, OpenIM online). */
export const userOnline = defineMapping({
  type: 'im.user.online',
  examples: [{ userID: 'alice', platform: 'ios', background: false, kickedPlatforms: ['android'], connID: '' }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: stateChange,
      when: whenAction(['Login'], true),
      decode: (b, meta): OnlineData => ({
        userID: b.Info.To_Account,
        platform: platformFromTencent(meta.platform),
        background: null,
        kickedPlatforms: [...new Set((b.KickedDevice ?? []).map((k) => platformFromTencent(k.Platform)))],
        connID: '',
      }),
    }),
    decoder({ vendor: 'openim', command: O_ONLINE, schema: openim.userOnline, decode: fromOpenIMOnline }),
    decoder({ vendor: 'openim', command: O_OLD_ONLINE, schema: openim.userOnline, decode: fromOpenIMOnline }),
  ],
  encoders: {
    tencent: (d, ctx) => [
      {
        ...wholeCall(T_CMD, {
          CallbackCommand: T_CMD,
          EventTime: eventTime(d.meta, ctx),
          Info: { Action: 'Login', To_Account: d.userID, Reason: 'Register' },
          ...(d.kickedPlatforms.length > 0 && {
            KickedDevice: d.kickedPlatforms.map((p) => ({ Platform: platformToTencent(p) })),
          }),
        }),
        platform: platformToTencent(d.platform, true),
      },
    ],
    // OpenIM reports a device kicked by a login as that device going offline (docs/vendors/openim.md#presence).
    openim: (d, ctx) => [
      wholeCall(O_ONLINE, {
        ...openimStatus(O_ONLINE, d.userID, d.platform, ctx),
        seq: eventTime(d.meta, ctx),
        isAppBackground: d.background ?? false,
        connID: d.connID,
      }),
      ...d.kickedPlatforms
        .filter((p) => p !== d.platform)
        .map((p) =>
          openimOffline({ userID: d.userID, platform: p, reason: 'kicked', connID: '', meta: d.meta }, p, ctx),
        ),
    ],
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: `Info.Reason`; a kicked device on the login’s own platform; `EventTime` except as `seq`. A `CustomStatusChange` (or any other `Action`) is not sent',
    },
    {
      vendor: 'openim',
      command: O_ONLINE,
      lost: 'to Tencent: `connID`, `isAppBackground`; MiniWeb, APad and HarmonyOS reach Tencent as `Web`, `Android` and `Unknown`',
    },
  ],
});

/** `im.user.offline`: a client disconnected (Tencent `Logout`/`Disconnect`, OpenIM offline or kick-off). */
export const userOffline = defineMapping({
  type: 'im.user.offline',
  examples: [{ userID: 'alice', platform: 'web', reason: 'timeout', connID: '' }],
  decoders: [
    decoder({
      vendor: 'tencent',
      command: T_CMD,
      schema: stateChange,
      when: whenAction(['Logout', 'Disconnect']),
      decode: tencentOffline,
    }),
    decoder({ vendor: 'openim', command: O_OFFLINE, schema: openim.userOffline, decode: fromOpenIMOffline('unknown') }),
    decoder({ vendor: 'openim', command: O_KICK, schema: openim.userKickOff, decode: fromOpenIMOffline('kicked') }),
    decoder({
      vendor: 'openim',
      command: O_OLD_OFFLINE,
      schema: openim.userOffline,
      decode: fromOpenIMOffline('unknown'),
    }),
    decoder({ vendor: 'openim', command: O_OLD_KICK, schema: openim.userKickOff, decode: fromOpenIMOffline('kicked') }),
  ],
  encoders: {
    tencent: (d, ctx) => {
      const [Action, Reason] =
        d.reason === 'logout' || d.reason === 'kicked'
          ? ['Logout', 'Unregister']
          : d.reason === 'timeout'
            ? ['Disconnect', 'TimeOut']
            : ['Disconnect', 'LinkClose'];
      return [
        {
          ...wholeCall(T_CMD, {
            CallbackCommand: T_CMD,
            EventTime: eventTime(d.meta, ctx),
            Info: { Action, To_Account: d.userID, Reason },
          }),
          platform: platformToTencent(d.platform, true),
        },
      ];
    },
    // OpenIM never sends kick-off, so a backend written for it knows kicks only as offline.
    openim: (d, ctx) => [openimOffline(d, d.platform, ctx)],
  },
  losses: [
    {
      vendor: 'tencent',
      command: T_CMD,
      lost: 'to OpenIM: logout, network loss and time-out all become offline; `EventTime` except as `seq`',
    },
    {
      vendor: 'openim',
      command: O_OFFLINE,
      lost: 'to Tencent: `connID`; OpenIM does not say why, so it reaches Tencent as `Disconnect`/`LinkClose`',
    },
    { vendor: 'openim', command: O_KICK, lost: 'to Tencent: read as `Logout`/`Unregister` (never sent by OpenIM)' },
  ],
});
