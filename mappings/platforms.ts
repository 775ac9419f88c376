import { PLATFORMS, type Platform } from '../src/canonical/group.js';

/**
 * The one platform table (docs/mappings.md#platforms): a canonical platform name, how Tencent spells
 * it (`OptPlatform`, `KickedDevice[].Platform`) and OpenIM's `platformID` and `platform` string. Message,
 * group and presence mappings all read and write platforms through it.
 */

export type { Platform } from '../src/canonical/group.js';

interface Row {
  /** What imbridge writes to a Tencent backend. */
  tencent: string;
  /** Every Tencent spelling read as this platform, lower-cased. */
  tencentReads: string[];
  openimID: number;
  openimName: string;
}

/**
 * OpenIM has platforms Tencent lacks (Mini Program web, Android pad, HarmonyOS): they reach a Tencent
 * backend as the nearest platform Tencent knows, and come back as that one.
 */
const ROWS: Record<Platform, Row> = {
  ios: { tencent: 'iOS', tencentReads: ['ios'], openimID: 1, openimName: 'IOS' },
  android: { tencent: 'Android', tencentReads: ['android'], openimID: 2, openimName: 'Android' },
  windows: { tencent: 'Windows', tencentReads: ['windows'], openimID: 3, openimName: 'Windows' },
  mac: { tencent: 'Mac', tencentReads: ['mac', 'macos'], openimID: 4, openimName: 'OSX' },
  web: { tencent: 'Web', tencentReads: ['web'], openimID: 5, openimName: 'Web' },
  miniweb: { tencent: 'Web', tencentReads: [], openimID: 6, openimName: 'MiniWeb' },
  linux: { tencent: 'Linux', tencentReads: ['linux'], openimID: 7, openimName: 'Linux' },
  apad: { tencent: 'Android', tencentReads: [], openimID: 8, openimName: 'APad' },
  ipad: { tencent: 'iPad', tencentReads: ['ipad'], openimID: 9, openimName: 'IPad' },
  admin: { tencent: 'RESTAPI', tencentReads: ['restapi'], openimID: 10, openimName: 'Admin' },
  harmonyos: { tencent: 'Unknown', tencentReads: [], openimID: 11, openimName: 'HarmonyOS' },
  unknown: { tencent: 'Unknown', tencentReads: [], openimID: 0, openimName: '' },
};

const BY_TENCENT = new Map<string, Platform>();
const BY_OPENIM_ID = new Map<number, Platform>();
const BY_OPENIM_NAME = new Map<string, Platform>();
for (const p of PLATFORMS) {
  const row = ROWS[p];
  for (const spelling of row.tencentReads) BY_TENCENT.set(spelling, p);
  if (p !== 'unknown') {
    BY_OPENIM_ID.set(row.openimID, p);
    BY_OPENIM_NAME.set(row.openimName.toLowerCase(), p);
  }
}

/** A Tencent spelling, read case-insensitively (`IOS` and `iOS` alike); anything else is `unknown`. */
export function platformFromTencent(raw: string | undefined): Platform {
  return BY_TENCENT.get((raw ?? '').toLowerCase()) ?? 'unknown';
}

/** The Tencent spelling of a platform; `presence` writes `IOS`, as `State.StateChange` does (docs/vendors/tencent.md#presence). */
export function platformToTencent(p: Platform, presence = false): string {
  return presence && p === 'ios' ? 'IOS' : ROWS[p].tencent;
}

/** OpenIM's platform: by `platformID`, else by the `platform` string (case-insensitive). */
export function platformFromOpenIM(id: number | undefined, name?: string): Platform {
  return BY_OPENIM_ID.get(id ?? 0) ?? BY_OPENIM_NAME.get((name ?? '').toLowerCase()) ?? 'unknown';
}

/** OpenIM's `platformID` of a platform (0 when unknown). */
export function openimPlatformID(p: Platform): number {
  return ROWS[p].openimID;
}

/** OpenIM's `platform` string of a platform (`""` when unknown, as OpenIM's own table answers). */
export function openimPlatformName(p: Platform): string {
  return ROWS[p].openimName;
}
