import { number } from 'yup';

/**
 * Integer fields with the range of the vendor's own type, so an absurd number (2^64, −1e16) is a 400
 * naming the field instead of a value nothing downstream can hold — a JS Date past ±8.64e15 ms throws,
 * an OpenIM int32 past 2^31 makes OpenIM's Go decoder abort.
 */

/** Go/Tencent int32. */
export const int32 = () =>
  number()
    .integer()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1);

/** Tencent uint32 (profile values). */
export const uint32 = () =>
  number()
    .integer()
    .min(0)
    .max(2 ** 32 - 1);

/**
 * Go int64, as far as a JSON number read by JavaScript holds one exactly: beyond 2^53 − 1 the value
 * read is not the value sent, so it is refused rather than passed on changed.
 */
export const int64 = () =>
  number()
    .integer()
    .test(
      'safe-integer',
      '${path} must be at most 2^53 − 1 in size (an integer JSON can carry exactly)',
      (v) => v === undefined || Number.isSafeInteger(v),
    );

/** Unix milliseconds a JavaScript Date can hold (0 to 8.64e15, the year 275 760). */
export const unixMs = () => number().integer().min(0).max(8.64e15);
