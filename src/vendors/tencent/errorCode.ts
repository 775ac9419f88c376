import { mixed } from 'yup';

/**
 * Tencent's before-callbacks whose reply `ErrorCode` is the verdict (docs/vendors/tencent.md#messages,
 * docs/vendors/tencent.md#groups), and the deny codes each passes on to the client: a code outside
 * its range is shown as a generic failure, so imbridge answers `1` there instead.
 */
const DENY_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  'C2C.CallbackBeforeSendMsg': [120001, 130000],
  'Group.CallbackBeforeSendMsg': [10100, 10200],
  'Group.CallbackBeforeCreateGroup': [10100, 10200],
  'Group.CallbackBeforeApplyJoinGroup': [10100, 10200],
  'Group.CallbackBeforeInviteJoinGroup': [10100, 10200],
};

/** An integer, or a string of one: Tencent's server reads `"1"` as 1 (docs/vendors/tencent.md#replies). */
export const errorCodeSchema = mixed<number | string>().test(
  'code',
  '${path} must be an integer or a numeric string',
  (v) => v === undefined || Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,15}$/.test(v)),
);

/**
 * The `ErrorCode` a deny is answered with: its own code when the command passes it on, else the
 * configured deny code when that is in range, else `1` (the command's plain refusal).
 */
export function denyErrorCode(command: string, code: number, denyCode: number): number {
  const [low, high] = DENY_RANGES[command] ?? [1, 1];
  const inRange = (c: number) => c >= low && c <= high;
  return inRange(code) ? code : inRange(denyCode) ? denyCode : 1;
}
