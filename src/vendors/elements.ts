import type { Element, ImageFormat, MergedMessage, Picture } from '../canonical/message.js';
import { goMarshal } from './openim/goJson.js';
import { c2cKey, groupKey, h32, openimIDs, tencentMsgKey } from './messageIds.js';

/**
 * The element codec (docs/mappings.md#message-elements): a Tencent `MsgBody` (a list of elements) and an
 * OpenIM message (one element, its content a JSON text) to canonical elements and back. Both vendors'
 * sides stand here together so their asymmetries are visible in one file.
 */

/** One Tencent element as on the wire (docs/vendors/tencent.md#message-elements). */
export interface TencentElement {
  MsgType: string;
  MsgContent: Record<string, unknown>;
}

/** What an OpenIM message carries of its content (docs/vendors/openim.md#messages). */
export interface OpenIMContent {
  contentType: number;
  /** The element's JSON text, as Go's `json.Marshal` writes the SDK struct. */
  content: string;
  /** Message-level `atUserList`: the mentioned ids (and `AtAllTag`) of an @ message, else null. */
  atUserList: string[] | null;
}

/** OpenIM content types (docs/vendors/openim.md#messages). */
export const CONTENT_TYPE = {
  text: 101,
  picture: 102,
  sound: 103,
  video: 104,
  file: 105,
  at: 106,
  merger: 107,
  location: 109,
  custom: 110,
  typing: 113,
  quote: 114,
  face: 115,
} as const;

/** `description` of the OpenIM custom element that carries a whole Tencent `MsgBody`. */
export const TENCENT_BODY = 'tencent:MsgBody';

/** `Desc` prefix of the Tencent custom element that carries an OpenIM element imbridge has no shape for. */
const OPENIM_PREFIX = 'openim:';

/** OpenIM's mention of everyone in `atUserList`. */
const AT_ALL = 'AtAllTag';

/** Whether a content type is a system notification (OpenIM ≤ 3.8.3 sends them with content `""`). */
export function isNotification(contentType: number): boolean {
  return (contentType >= 1000 && contentType <= 5000) || contentType === CONTENT_TYPE.typing;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A client path keeps only its last part: Tencent SDKs may send the sender's local file path. */
function basename(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

// --- Tencent ---------------------------------------------------------------------------------------------

const IMAGE_FORMATS: Record<number, ImageFormat> = { 1: 'jpg', 2: 'gif', 3: 'png', 4: 'bmp', 255: 'other' };
const IMAGE_FORMAT_CODES: Record<ImageFormat, number> = { jpg: 1, gif: 2, png: 3, bmp: 4, other: 255 };
/** `ImageInfoArray[].Type`: 1 original, 2 large, 3 thumbnail — matched on `Type`, never on position. */
const PICTURE_TYPES = [
  [1, 'original'],
  [2, 'large'],
  [3, 'thumb'],
] as const;

function mergedFromTencent(c: Record<string, unknown>): Element {
  return {
    type: 'merged',
    title: str(c['Title']),
    abstracts: list(c['AbstractList']).map(str),
    compatibleText: str(c['CompatibleText']),
    jsonMsgKey: str(c['JsonMsgKey']),
    messages: list(c['MsgList']).map((m): MergedMessage => {
      const o = obj(m);
      return {
        senderUserID: str(o['From_Account']),
        recvUserID: typeof o['To_Account'] === 'string' ? o['To_Account'] : null,
        groupID: typeof o['GroupId'] === 'string' ? o['GroupId'] : null,
        seq: num(o['MsgSeq']),
        random: num(o['MsgRandom']),
        time: num(o['MsgTimeStamp']) * 1000,
        elements: elementsFromTencent(list(o['MsgBody']) as TencentElement[]),
        cloudCustomData: str(o['CloudCustomData']),
      };
    }),
  };
}

function elementFromTencent(e: TencentElement): Element {
  const c = obj(e.MsgContent);
  switch (e.MsgType) {
    case 'TIMTextElem':
      return { type: 'text', text: str(c['Text']) };
    case 'TIMLocationElem':
      return {
        type: 'location',
        description: str(c['Desc']),
        latitude: num(c['Latitude']),
        longitude: num(c['Longitude']),
      };
    case 'TIMFaceElem':
      return { type: 'face', index: num(c['Index']), data: str(c['Data']) };
    case 'TIMCustomElem': {
      const desc = str(c['Desc']);
      // An OpenIM element imbridge has no shape for, carried through a Tencent backend and back.
      if (desc.startsWith(OPENIM_PREFIX) && /^\d+$/.test(desc.slice(OPENIM_PREFIX.length))) {
        return { type: 'raw', vendor: 'openim', kind: desc.slice(OPENIM_PREFIX.length), content: str(c['Data']) };
      }
      return {
        type: 'custom',
        data: str(c['Data']),
        description: desc,
        extension: str(c['Ext']),
        sound: str(c['Sound']),
      };
    }
    case 'TIMSoundElem':
      return {
        type: 'sound',
        uuid: str(c['UUID']),
        url: str(c['Url'] ?? c['URL']),
        size: num(c['Size']),
        seconds: num(c['Second']),
      };
    case 'TIMImageElem': {
      const infos = list(c['ImageInfoArray']).map(obj);
      const picture = (type: number): Picture | null => {
        const i = infos.find((x) => x['Type'] === type);
        return i
          ? { url: str(i['URL']), size: num(i['Size']), width: num(i['Width']), height: num(i['Height']) }
          : null;
      };
      return {
        type: 'image',
        uuid: str(c['UUID']),
        format: IMAGE_FORMATS[num(c['ImageFormat'])] ?? 'other',
        original: picture(1),
        large: picture(2),
        thumb: picture(3),
      };
    }
    case 'TIMFileElem':
      return {
        type: 'file',
        uuid: str(c['UUID']),
        url: str(c['Url']),
        size: num(c['FileSize']),
        name: basename(str(c['FileName'])),
      };
    case 'TIMVideoFileElem':
      return {
        type: 'video',
        uuid: str(c['VideoUUID']),
        url: str(c['VideoUrl']),
        size: num(c['VideoSize']),
        seconds: num(c['VideoSecond']),
        format: str(c['VideoFormat']),
        thumbUUID: str(c['ThumbUUID']),
        thumbURL: str(c['ThumbUrl']),
        thumbSize: num(c['ThumbSize']),
        thumbWidth: num(c['ThumbWidth']),
        thumbHeight: num(c['ThumbHeight']),
        thumbFormat: str(c['ThumbFormat']),
      };
    case 'TIMRelayElem':
      return mergedFromTencent(c);
    default:
      // Tencent adds element types over time: kept as they came.
      return { type: 'raw', vendor: 'tencent', kind: e.MsgType, content: JSON.stringify(e.MsgContent ?? {}) };
  }
}

/** A Tencent `MsgBody` → canonical elements, in order. */
export function elementsFromTencent(body: readonly TencentElement[]): Element[] {
  return body.map(elementFromTencent);
}

/** Keys with a download URL carry it and `Download_Flag` 2; without one, neither is written (the legacy shape). */
function withURL(urlKey: string, url: string, flagKey: string, rest: Record<string, unknown>): Record<string, unknown> {
  return url ? { [urlKey]: url, ...rest, [flagKey]: 2 } : rest;
}

function elementToTencent(e: Element): TencentElement {
  const el = (MsgType: string, MsgContent: Record<string, unknown>): TencentElement => ({ MsgType, MsgContent });
  switch (e.type) {
    case 'text':
    case 'at':
    case 'quote':
      return el('TIMTextElem', { Text: e.text });
    case 'location':
      return el('TIMLocationElem', { Desc: e.description, Latitude: e.latitude, Longitude: e.longitude });
    case 'face':
      return el('TIMFaceElem', { Index: e.index, Data: e.data });
    case 'custom':
      return el('TIMCustomElem', { Data: e.data, Desc: e.description, Ext: e.extension, Sound: e.sound });
    case 'sound': {
      const { url, uuid, size, seconds } = e;
      const c = url
        ? { Url: url, UUID: uuid, Size: size, Second: seconds, Download_Flag: 2 }
        : { UUID: uuid, Size: size, Second: seconds };
      return el('TIMSoundElem', c);
    }
    case 'image':
      return el('TIMImageElem', {
        UUID: e.uuid,
        ImageFormat: IMAGE_FORMAT_CODES[e.format],
        ImageInfoArray: PICTURE_TYPES.filter(([, k]) => e[k] !== null).map(([Type, k]) => {
          const p = e[k]!;
          return { Type, Size: p.size, Width: p.width, Height: p.height, URL: p.url };
        }),
      });
    case 'file': {
      const c = e.url
        ? { Url: e.url, UUID: e.uuid, FileSize: e.size, FileName: e.name, Download_Flag: 2 }
        : { UUID: e.uuid, FileSize: e.size, FileName: e.name };
      return el('TIMFileElem', c);
    }
    case 'video':
      return el('TIMVideoFileElem', {
        ...withURL('VideoUrl', e.url, 'VideoDownloadFlag', {
          VideoUUID: e.uuid,
          VideoSize: e.size,
          VideoSecond: e.seconds,
          VideoFormat: e.format,
        }),
        ...withURL('ThumbUrl', e.thumbURL, 'ThumbDownloadFlag', {
          ThumbUUID: e.thumbUUID,
          ThumbSize: e.thumbSize,
          ThumbWidth: e.thumbWidth,
          ThumbHeight: e.thumbHeight,
          ThumbFormat: e.thumbFormat,
        }),
      });
    case 'merged': {
      const head = {
        Title: e.title,
        MsgNum: e.messages.length,
        CompatibleText: e.compatibleText,
        AbstractList: e.abstracts,
      };
      if (e.jsonMsgKey && e.messages.length === 0) return el('TIMRelayElem', { ...head, JsonMsgKey: e.jsonMsgKey });
      return el('TIMRelayElem', {
        ...head,
        MsgList: e.messages.map((m) => ({
          From_Account: m.senderUserID,
          ...(m.groupID !== null ? { GroupId: m.groupID } : { To_Account: m.recvUserID ?? '' }),
          MsgSeq: m.seq,
          MsgRandom: m.random,
          MsgTimeStamp: Math.floor(m.time / 1000),
          MsgBody: elementsToTencent(m.elements),
          ...(m.cloudCustomData && { CloudCustomData: m.cloudCustomData }),
        })),
      });
    }
    case 'notification':
      return el('TIMCustomElem', { Data: '', Desc: `${OPENIM_PREFIX}${e.contentType}`, Ext: '', Sound: '' });
    case 'raw':
      if (e.vendor === 'tencent') return el(e.kind, JSON.parse(e.content) as Record<string, unknown>);
      // An OpenIM element with no canonical shape rides in a custom element that decodes back into it.
      return el('TIMCustomElem', { Data: e.content, Desc: `${OPENIM_PREFIX}${e.kind}`, Ext: '', Sound: '' });
  }
}

/** Canonical elements → a Tencent `MsgBody`, each element with the keys of Tencent's sample in its order. */
export function elementsToTencent(elements: readonly Element[]): TencentElement[] {
  return elements.map(elementToTencent);
}

// --- OpenIM ----------------------------------------------------------------------------------------------

/** Go's `omitempty`: the key is left out when the value is `""`, 0, empty, or absent. */
function omitEmpty(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0))
      continue;
    out[k] = v;
  }
  return out;
}

const MIME: Record<ImageFormat, string> = {
  jpg: 'image/jpeg',
  gif: 'image/gif',
  png: 'image/png',
  bmp: 'image/bmp',
  other: '',
};

/** An OpenIM picture type (a MIME type or a name) → the format both vendors can say. */
function formatOf(type: string): ImageFormat {
  const t = type.toLowerCase();
  if (t.includes('jp')) return 'jpg';
  if (t.includes('gif')) return 'gif';
  if (t.includes('png')) return 'png';
  if (t.includes('bmp')) return 'bmp';
  return 'other';
}

/** The SDK's `MsgStruct` of one message of a merged message (docs/vendors/openim.md#messages). */
function msgStruct(m: MergedMessage): Record<string, unknown> {
  const group = m.groupID !== null;
  const key = group
    ? groupKey(m.groupID!, m.senderUserID, m.random)
    : c2cKey(m.senderUserID, m.recvUserID ?? '', tencentMsgKey(m.seq, m.random, Math.floor(m.time / 1000)));
  const { serverMsgID, clientMsgID } = openimIDs(key);
  const content = elementsToOpenIM(m.elements);
  return {
    clientMsgID,
    serverMsgID,
    createTime: m.time,
    sendTime: m.time,
    sessionType: group ? 3 : 1,
    sendID: m.senderUserID,
    recvID: m.recvUserID ?? '',
    msgFrom: 100,
    contentType: content.contentType,
    senderPlatformID: 0,
    senderNickname: '',
    senderFaceUrl: '',
    groupID: m.groupID ?? '',
    content: content.content,
    seq: m.seq,
    isRead: false,
    status: 2,
  };
}

/** The inner JSON of one element, as the SDK's struct marshals (keys in struct order, `?` keys omitempty). */
function singleToOpenIM(e: Element): OpenIMContent {
  const content = (
    contentType: number,
    value: Record<string, unknown>,
    atUserList: string[] | null = null,
  ): OpenIMContent => ({
    contentType,
    content: goMarshal(value),
    atUserList,
  });
  switch (e.type) {
    case 'text':
      return content(CONTENT_TYPE.text, { content: e.text });
    case 'at': {
      const mentioned = [...e.atUserIDs, ...(e.atAll ? [AT_ALL] : [])];
      return content(
        CONTENT_TYPE.at,
        {
          ...omitEmpty([
            ['text', e.text],
            ['atUserList', mentioned],
            [
              'atUsersInfo',
              e.atUsersInfo.map((u) =>
                omitEmpty([
                  ['atUserID', u.userID],
                  ['groupNickname', u.groupNickname],
                ]),
              ),
            ],
          ]),
          isAtSelf: false,
        },
        mentioned,
      );
    }
    case 'image': {
      const picture = (p: Picture | null) =>
        p && {
          ...omitEmpty([
            ['uuid', e.uuid],
            ['type', MIME[e.format]],
          ]),
          size: p.size,
          width: p.width,
          height: p.height,
          ...omitEmpty([['url', p.url]]),
        };
      return content(
        CONTENT_TYPE.picture,
        omitEmpty([
          ['sourcePicture', picture(e.original)],
          ['bigPicture', picture(e.large)],
          ['snapshotPicture', picture(e.thumb)],
        ]),
      );
    }
    case 'sound':
      return content(CONTENT_TYPE.sound, {
        ...omitEmpty([
          ['uuid', e.uuid],
          ['sourceUrl', e.url],
        ]),
        dataSize: e.size,
        duration: e.seconds,
      });
    case 'video':
      return content(CONTENT_TYPE.video, {
        ...omitEmpty([
          ['videoUUID', e.uuid],
          ['videoUrl', e.url],
          ['videoType', e.format],
        ]),
        videoSize: e.size,
        duration: e.seconds,
        ...omitEmpty([['snapshotUUID', e.thumbUUID]]),
        snapshotSize: e.thumbSize,
        ...omitEmpty([['snapshotUrl', e.thumbURL]]),
        snapshotWidth: e.thumbWidth,
        snapshotHeight: e.thumbHeight,
        ...omitEmpty([['snapshotType', e.thumbFormat]]),
      });
    case 'file':
      return content(CONTENT_TYPE.file, {
        ...omitEmpty([
          ['uuid', e.uuid],
          ['sourceUrl', e.url],
          ['fileName', e.name],
        ]),
        fileSize: e.size,
      });
    case 'location':
      return content(CONTENT_TYPE.location, {
        ...omitEmpty([['description', e.description]]),
        longitude: e.longitude,
        latitude: e.latitude,
      });
    case 'face':
      return content(CONTENT_TYPE.face, { index: e.index, ...omitEmpty([['data', e.data]]) });
    case 'custom':
      return content(
        CONTENT_TYPE.custom,
        omitEmpty([
          ['data', e.data],
          ['description', e.description],
          ['extension', e.extension],
        ]),
      );
    case 'merged':
      return content(
        CONTENT_TYPE.merger,
        omitEmpty([
          ['title', e.title],
          ['abstractList', e.abstracts],
          ['multiMessage', e.messages.map(msgStruct)],
        ]),
      );
    case 'quote':
      return content(
        CONTENT_TYPE.quote,
        omitEmpty([
          ['text', e.text],
          [
            'quoteMessage',
            {
              clientMsgID: e.quoted.clientMsgID,
              serverMsgID: e.quoted.serverMsgID,
              sendID: e.quoted.senderUserID,
              contentType: e.quoted.contentType,
              content: e.quoted.content,
              seq: e.quoted.seq,
            },
          ],
        ]),
      );
    case 'notification':
      return { contentType: e.contentType, content: '', atUserList: null };
    case 'raw':
      // Only an OpenIM element gets here (a Tencent one rides in the MsgBody wrapper below).
      return { contentType: Number(e.kind), content: e.content, atUserList: null };
  }
}

/**
 * Canonical elements → one OpenIM message's content. One element is that element; several, none, or
 * an element only Tencent has go as one custom element carrying the whole Tencent `MsgBody`, which
 * decodes back into the same list.
 */
export function elementsToOpenIM(elements: readonly Element[]): OpenIMContent {
  const only = elements.length === 1 ? elements[0]! : undefined;
  if (only && !(only.type === 'raw' && only.vendor === 'tencent')) return singleToOpenIM(only);
  return {
    contentType: CONTENT_TYPE.custom,
    content: goMarshal({ data: goMarshal(elementsToTencent(elements)), description: TENCENT_BODY }),
    atUserList: null,
  };
}

function mergedFromOpenIM(c: Record<string, unknown>): Element {
  return {
    type: 'merged',
    title: str(c['title']),
    abstracts: list(c['abstractList']).map(str),
    compatibleText: '',
    jsonMsgKey: '',
    messages: list(c['multiMessage']).map((m): MergedMessage => {
      const o = obj(m);
      const serverMsgID = str(o['serverMsgID']);
      return {
        senderUserID: str(o['sendID']),
        recvUserID: str(o['recvID']) || null,
        groupID: str(o['groupID']) || null,
        seq: num(o['seq']) || h32(`seq/${serverMsgID}`),
        random: h32(`random/${str(o['clientMsgID'])}`),
        time: num(o['sendTime']) || num(o['createTime']),
        elements: elementsFromOpenIM({
          contentType: num(o['contentType']),
          content: str(o['content']),
          atUserList: null,
        }),
        cloudCustomData: '',
      };
    }),
  };
}

/**
 * One OpenIM message's content → canonical elements. The content is parsed whatever the key order (REST
 * sends sorted keys); content that is not a JSON object, and content types imbridge has no shape for,
 * are kept as `raw`.
 */
export function elementsFromOpenIM({ contentType, content, atUserList }: OpenIMContent): Element[] {
  if (isNotification(contentType)) return [{ type: 'notification', contentType }];
  const raw: Element[] = [{ type: 'raw', vendor: 'openim', kind: String(contentType), content }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return raw;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return raw;
  const c = parsed as Record<string, unknown>;
  switch (contentType) {
    case CONTENT_TYPE.text:
      return [{ type: 'text', text: str(c['content']) }];
    case CONTENT_TYPE.at: {
      const mentioned = (Array.isArray(c['atUserList']) ? c['atUserList'] : (atUserList ?? [])).map(str);
      return [
        {
          type: 'at',
          text: str(c['text']),
          atUserIDs: mentioned.filter((id) => id !== AT_ALL),
          atAll: mentioned.includes(AT_ALL),
          atUsersInfo: list(c['atUsersInfo']).map((u) => ({
            userID: str(obj(u)['atUserID']),
            groupNickname: str(obj(u)['groupNickname']),
          })),
        },
      ];
    }
    case CONTENT_TYPE.picture: {
      const pics = (['sourcePicture', 'bigPicture', 'snapshotPicture'] as const).map((k) => (c[k] ? obj(c[k]) : null));
      const picture = (p: Record<string, unknown> | null): Picture | null =>
        p && { url: str(p['url']), size: num(p['size']), width: num(p['width']), height: num(p['height']) };
      return [
        {
          type: 'image',
          uuid: pics.map((p) => str(p?.['uuid'])).find(Boolean) ?? '',
          format: formatOf(pics.map((p) => str(p?.['type'])).find(Boolean) ?? ''),
          original: picture(pics[0]!),
          large: picture(pics[1]!),
          thumb: picture(pics[2]!),
        },
      ];
    }
    case CONTENT_TYPE.sound:
      return [
        {
          type: 'sound',
          uuid: str(c['uuid']),
          url: str(c['sourceUrl']),
          size: num(c['dataSize']),
          seconds: num(c['duration']),
        },
      ];
    case CONTENT_TYPE.video:
      return [
        {
          type: 'video',
          uuid: str(c['videoUUID']),
          url: str(c['videoUrl']),
          size: num(c['videoSize']),
          seconds: num(c['duration']),
          format: str(c['videoType']),
          thumbUUID: str(c['snapshotUUID']),
          thumbURL: str(c['snapshotUrl']),
          thumbSize: num(c['snapshotSize']),
          thumbWidth: num(c['snapshotWidth']),
          thumbHeight: num(c['snapshotHeight']),
          thumbFormat: str(c['snapshotType']),
        },
      ];
    case CONTENT_TYPE.file:
      return [
        {
          type: 'file',
          uuid: str(c['uuid']),
          url: str(c['sourceUrl']),
          size: num(c['fileSize']),
          name: str(c['fileName']),
        },
      ];
    case CONTENT_TYPE.location:
      return [
        {
          type: 'location',
          description: str(c['description']),
          latitude: num(c['latitude']),
          longitude: num(c['longitude']),
        },
      ];
    case CONTENT_TYPE.face:
      return [{ type: 'face', index: num(c['index']), data: str(c['data']) }];
    case CONTENT_TYPE.custom: {
      if (c['description'] === TENCENT_BODY) {
        try {
          const body = JSON.parse(str(c['data'])) as unknown;
          if (Array.isArray(body)) return elementsFromTencent(body as TencentElement[]);
        } catch {
          // Not the wrapper after all: an ordinary custom element.
        }
      }
      return [
        {
          type: 'custom',
          data: str(c['data']),
          description: str(c['description']),
          extension: str(c['extension']),
          sound: '',
        },
      ];
    }
    case CONTENT_TYPE.merger:
      return [mergedFromOpenIM(c)];
    case CONTENT_TYPE.quote: {
      const q = obj(c['quoteMessage']);
      return [
        {
          type: 'quote',
          text: str(c['text']),
          quoted: {
            serverMsgID: str(q['serverMsgID']),
            clientMsgID: str(q['clientMsgID']),
            senderUserID: str(q['sendID']),
            seq: num(q['seq']),
            contentType: num(q['contentType']),
            content: str(q['content']),
          },
        },
      ];
    }
    default:
      return raw;
  }
}
