import { array, string, type InferType } from 'yup';
import { exactObject } from '../exact.js';
import { looseEventTime } from './messageSchemas.js';

/**
 * yup schemas for Tencent's presence and group callbacks (docs/vendors/tencent.md#presence,
 * docs/vendors/tencent.md#groups). Unknown keys are tolerated as everywhere; keys some samples leave
 * out are optional. `EventTime` is a number or, in every group sample, a numeric string.
 */

const account = string().defined();
const command = <C extends string>(name: C) => string<C>().oneOf([name]).defined();

/** `State.StateChange`: the device's platform is the query's `OptPlatform`, not in the body. */
export const stateChange = exactObject({
  CallbackCommand: command('State.StateChange'),
  EventTime: looseEventTime(),
  Info: exactObject({ Action: account, To_Account: account, Reason: string().optional() }).defined(),
  KickedDevice: array(exactObject({ Platform: string().defined() }).defined()).optional(),
});
export type StateChange = InferType<typeof stateChange>;

/** The `Info.Action` of a `State.StateChange` body, or undefined when the body has none. */
export function stateAction(body: unknown): unknown {
  const info = (body as { Info?: unknown } | null)?.Info;
  return typeof info === 'object' && info !== null ? (info as { Action?: unknown }).Action : undefined;
}
