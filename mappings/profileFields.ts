import type { ProfileChanges } from '../src/canonical/types.js';
import type { UpdateUserInfo } from '../src/vendors/openim/schemas.js';

/**
 * Profile fields across vendors. Tencent names each changed field by a `Tag_Profile_IM_*` tag with a
 * string or uint32 value (docs/vendors/tencent.md#profile); OpenIM's user-info callbacks carry only `nickName`, `faceURL` and
 * `ex` (docs/vendors/openim.md#user-info).
 */

type Field = Exclude<keyof ProfileChanges, 'custom' | 'ex'>;

interface TagRule {
  tag: string;
  field: Field;
  /** Tencent value → canonical value; undefined when the value does not fit (it then goes to `custom`). */
  read(value: string | number): ProfileChanges[Field] | undefined;
  write(value: NonNullable<ProfileChanges[Field]>): string | number;
}

const asString = (v: string | number) => (typeof v === 'string' ? v : undefined);
const asNumber = (v: string | number) => (typeof v === 'number' ? v : undefined);

/** A Tencent enum tag whose values are `<prefix><Name>`, read as snake_case names. */
function enumRule<V extends string>(tag: string, field: Field, values: Record<string, V>): TagRule {
  const back = Object.fromEntries(Object.entries(values).map(([raw, v]) => [v, raw]));
  return { tag, field, read: (v) => (typeof v === 'string' ? values[v] : undefined), write: (v) => back[v as string]! };
}

const identity = (v: string | number) => v;

/** Tencent's standard profile tags and their canonical fields, in the order imbridge writes them. */
export const TENCENT_TAGS: TagRule[] = [
  { tag: 'Tag_Profile_IM_Nick', field: 'nickname', read: asString, write: identity },
  { tag: 'Tag_Profile_IM_Image', field: 'faceURL', read: asString, write: identity },
  enumRule('Tag_Profile_IM_Gender', 'gender', {
    Gender_Type_Unknown: 'unknown',
    Gender_Type_Female: 'female',
    Gender_Type_Male: 'male',
  }),
  { tag: 'Tag_Profile_IM_BirthDay', field: 'birthday', read: asNumber, write: identity },
  { tag: 'Tag_Profile_IM_SelfSignature', field: 'signature', read: asString, write: identity },
  { tag: 'Tag_Profile_IM_Location', field: 'location', read: asString, write: identity },
  { tag: 'Tag_Profile_IM_Language', field: 'language', read: asNumber, write: identity },
  { tag: 'Tag_Profile_IM_Level', field: 'level', read: asNumber, write: identity },
  { tag: 'Tag_Profile_IM_Role', field: 'role', read: asNumber, write: identity },
  enumRule('Tag_Profile_IM_AllowType', 'allowType', {
    AllowType_Type_NeedConfirm: 'need_confirm',
    AllowType_Type_AllowAny: 'allow_any',
    AllowType_Type_DenyAny: 'deny_any',
  }),
];

const BY_TAG = new Map(TENCENT_TAGS.map((r) => [r.tag, r]));

/** Tencent `ProfileItem[]` → changes; custom and unknown tags (or values of an unexpected type) go to `custom`. */
export function changesFromTencent(items: { Tag: string; Value: string | number }[]): ProfileChanges {
  const changes: ProfileChanges = {};
  for (const { Tag, Value } of items) {
    const value = BY_TAG.get(Tag)?.read(Value);
    if (value !== undefined) (changes as Record<string, unknown>)[BY_TAG.get(Tag)!.field] = value;
    else (changes.custom ??= {})[Tag] = Value;
  }
  return changes;
}

/** Changes → Tencent `ProfileItem[]`, one per changed field; `ex` has no Tencent tag and is dropped. */
export function changesToTencent(changes: ProfileChanges): { Tag: string; Value: string | number }[] {
  const items: { Tag: string; Value: string | number }[] = [];
  for (const rule of TENCENT_TAGS) {
    const value = changes[rule.field];
    if (value !== undefined) items.push({ Tag: rule.tag, Value: rule.write(value) });
  }
  for (const [Tag, Value] of Object.entries(changes.custom ?? {})) items.push({ Tag, Value });
  return items;
}

/**
 * OpenIM user-info body → changes. `null` is "not changed"; the deprecated non-Ex commands always send
 * strings and `""` there means "not supplied" (docs/vendors/openim.md#user-info), so `emptyIsUnchanged` drops those too.
 */
export function changesFromOpenIM(b: UpdateUserInfo, emptyIsUnchanged: boolean): ProfileChanges {
  const changes: ProfileChanges = {};
  const keep = (v: string | null | undefined): v is string => typeof v === 'string' && !(emptyIsUnchanged && v === '');
  if (keep(b.nickName)) changes.nickname = b.nickName;
  if (keep(b.faceURL)) changes.faceURL = b.faceURL;
  if (keep(b.ex)) changes.ex = b.ex;
  return changes;
}

/** Whether OpenIM can say anything about these changes (it knows only nickname, faceURL and ex). */
export function openimCanCarry(changes: ProfileChanges): boolean {
  return changes.nickname !== undefined || changes.faceURL !== undefined || changes.ex !== undefined;
}

/** Changes → the `*UpdateUserInfoEx*` body OpenIM writes: `null` for every field that did not change. */
export function changesToOpenIMEx(command: string, userID: string, c: ProfileChanges): object {
  return {
    callbackCommand: command,
    userID,
    nickName: c.nickname ?? null,
    faceURL: c.faceURL ?? null,
    ex: c.ex ?? null,
  };
}
