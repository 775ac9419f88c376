import { array, boolean, object, string, type ObjectSchema } from 'yup';
import { OFFLINE_REASONS, PLATFORMS, type OfflineData, type OnlineData, type Platform } from './group.js';

/** yup schemas of the group and presence model (src/canonical/group.ts), the source of their JSON Schemas. */

const text = string().defined();
const platform = string<Platform>()
  .oneOf([...PLATFORMS])
  .defined();

export const onlineDataSchema: ObjectSchema<OnlineData> = object({
  userID: text,
  platform,
  background: boolean().nullable().defined(),
  kickedPlatforms: array(platform).defined(),
  connID: text,
});

export const offlineDataSchema: ObjectSchema<OfflineData> = object({
  userID: text,
  platform,
  reason: string<OfflineData['reason']>()
    .oneOf([...OFFLINE_REASONS])
    .defined(),
  connID: text,
});
