import type { RegisterUser } from '../../canonical/types.js';
import type { RegisterUserBody } from './schemas.js';

/** OpenIM `users[]` (sdkws.UserInfo, docs/vendors/openim.md#register) → canonical users; absent keys read as Go's zero values. */
export function usersFromOpenIM(users: RegisterUserBody[] | null): RegisterUser[] {
  return (users ?? []).map((u) => ({
    userID: u.userID,
    nickname: u.nickname ?? '',
    faceURL: u.faceURL ?? '',
    ex: u.ex ?? '',
    createTime: u.createTime ?? 0,
    appManagerLevel: u.appMangerLevel ?? 0,
    globalRecvMsgOpt: u.globalRecvMsgOpt ?? 0,
  }));
}

/** Canonical users → OpenIM `users[]` in sdkws.UserInfo field order, keeping its `appMangerLevel` spelling. */
export function usersToOpenIM(users: RegisterUser[]): object[] | null {
  if (users.length === 0) return null; // Go sends a nil slice as null
  return users.map((u) => ({
    userID: u.userID,
    nickname: u.nickname,
    faceURL: u.faceURL,
    ex: u.ex,
    createTime: u.createTime,
    appMangerLevel: u.appManagerLevel,
    globalRecvMsgOpt: u.globalRecvMsgOpt,
  }));
}
