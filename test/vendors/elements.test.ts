import { expect } from 'chai';
import fc from 'fast-check';
import {
  elementsFromOpenIM,
  elementsFromTencent,
  elementsToOpenIM,
  elementsToTencent,
  TENCENT_BODY,
  type TencentElement,
} from '../../src/vendors/elements.js';
import type { Element } from '../../src/canonical/message.js';

// Tencent's documented element samples (docs/vendors/tencent.md#message-elements), as sent.
const TENCENT: [string, TencentElement, Element][] = [
  [
    'TIMTextElem',
    { MsgType: 'TIMTextElem', MsgContent: { Text: 'hello world' } },
    { type: 'text', text: 'hello world' },
  ],
  [
    'TIMLocationElem',
    {
      MsgType: 'TIMLocationElem',
      MsgContent: { Desc: 'someinfo', Latitude: 29.340656774469956, Longitude: 116.77497920478824 },
    },
    { type: 'location', description: 'someinfo', latitude: 29.340656774469956, longitude: 116.77497920478824 },
  ],
  [
    'TIMFaceElem',
    { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'content' } },
    { type: 'face', index: 1, data: 'content' },
  ],
  [
    'TIMCustomElem',
    {
      MsgType: 'TIMCustomElem',
      MsgContent: { Data: 'message', Desc: 'notification', Ext: 'url', Sound: 'dingdong.aiff' },
    },
    { type: 'custom', data: 'message', description: 'notification', extension: 'url', sound: 'dingdong.aiff' },
  ],
  [
    'TIMSoundElem',
    {
      MsgType: 'TIMSoundElem',
      MsgContent: { Url: 'https://cos/abc123', UUID: '1053D4B3', Size: 62351, Second: 1, Download_Flag: 2 },
    },
    { type: 'sound', uuid: '1053D4B3', url: 'https://cos/abc123', size: 62351, seconds: 1 },
  ],
  [
    'TIMSoundElem (legacy, no Url)',
    { MsgType: 'TIMSoundElem', MsgContent: { UUID: 'u', Size: 3, Second: 2 } },
    { type: 'sound', uuid: 'u', url: '', size: 3, seconds: 2 },
  ],
  [
    'TIMImageElem',
    {
      MsgType: 'TIMImageElem',
      MsgContent: {
        UUID: '1853095_D61040894AC3DE44CDFFFB3EC7EB720F',
        ImageFormat: 1,
        ImageInfoArray: [
          { Type: 1, Size: 1853095, Width: 2448, Height: 3264, URL: 'http://xxx/0' },
          { Type: 2, Size: 2565240, Width: 0, Height: 0, URL: 'http://xxx/720' },
          { Type: 3, Size: 12535, Width: 0, Height: 0, URL: 'http://xxx/198' },
        ],
      },
    },
    {
      type: 'image',
      uuid: '1853095_D61040894AC3DE44CDFFFB3EC7EB720F',
      format: 'jpg',
      original: { url: 'http://xxx/0', size: 1853095, width: 2448, height: 3264 },
      large: { url: 'http://xxx/720', size: 2565240, width: 0, height: 0 },
      thumb: { url: 'http://xxx/198', size: 12535, width: 0, height: 0 },
    },
  ],
  [
    'TIMFileElem',
    {
      MsgType: 'TIMFileElem',
      MsgContent: {
        Url: 'https://cos/49be',
        UUID: '1053D4B3',
        FileSize: 1773552,
        FileName: 'trim.MOV',
        Download_Flag: 2,
      },
    },
    { type: 'file', uuid: '1053D4B3', url: 'https://cos/49be', size: 1773552, name: 'trim.MOV' },
  ],
  [
    'TIMVideoFileElem',
    {
      MsgType: 'TIMVideoFileElem',
      MsgContent: {
        VideoUrl: 'https://cos/f7c6',
        VideoUUID: '5da38ba8',
        VideoSize: 1194603,
        VideoSecond: 5,
        VideoFormat: 'mp4',
        VideoDownloadFlag: 2,
        ThumbUrl: 'https://cos/a6c1',
        ThumbUUID: '6edaffed',
        ThumbSize: 13907,
        ThumbWidth: 720,
        ThumbHeight: 1280,
        ThumbFormat: 'JPG',
        ThumbDownloadFlag: 2,
      },
    },
    {
      type: 'video',
      uuid: '5da38ba8',
      url: 'https://cos/f7c6',
      size: 1194603,
      seconds: 5,
      format: 'mp4',
      thumbUUID: '6edaffed',
      thumbURL: 'https://cos/a6c1',
      thumbSize: 13907,
      thumbWidth: 720,
      thumbHeight: 1280,
      thumbFormat: 'JPG',
    },
  ],
  [
    'TIMRelayElem',
    {
      MsgType: 'TIMRelayElem',
      MsgContent: {
        Title: 'Group chat history',
        MsgNum: 1,
        CompatibleText: 'upgrade',
        AbstractList: ['A: What do you think of this?'],
        MsgList: [
          {
            From_Account: 'A',
            GroupId: 'group1',
            MsgSeq: 85,
            MsgRandom: 3998651049,
            MsgTimeStamp: 1664437702,
            MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'What do you think of this?' } }],
          },
        ],
      },
    },
    {
      type: 'merged',
      title: 'Group chat history',
      abstracts: ['A: What do you think of this?'],
      compatibleText: 'upgrade',
      jsonMsgKey: '',
      messages: [
        {
          senderUserID: 'A',
          recvUserID: null,
          groupID: 'group1',
          seq: 85,
          random: 3998651049,
          time: 1664437702000,
          elements: [{ type: 'text', text: 'What do you think of this?' }],
          cloudCustomData: '',
        },
      ],
    },
  ],
  [
    'an element type Tencent adds later',
    { MsgType: 'TIMNewElem', MsgContent: { Anything: [1, 'x'] } },
    { type: 'raw', vendor: 'tencent', kind: 'TIMNewElem', content: '{"Anything":[1,"x"]}' },
  ],
];

// OpenIM SDK contents (docs/vendors/openim.md#messages): the inner JSON text Go's json.Marshal writes.
const OPENIM: [string, number, string, Element, string?][] = [
  [
    'text, HTML-escaped as Go does',
    101,
    '{"content":"hello \\u003cworld\\u003e \\u0026 中文"}',
    { type: 'text', text: 'hello <world> & 中文' },
  ],
  [
    'picture',
    102,
    '{"sourcePicture":{"uuid":"3f2a","type":"image/jpeg","size":123456,"width":1080,"height":1920,"url":"https://oss/x.jpg"}}',
    {
      type: 'image',
      uuid: '3f2a',
      format: 'jpg',
      original: { url: 'https://oss/x.jpg', size: 123456, width: 1080, height: 1920 },
      large: null,
      thumb: null,
    },
  ],
  [
    'sound (soundType is lost)',
    103,
    '{"uuid":"a1","sourceUrl":"https://oss/a.m4a","dataSize":20480,"duration":7,"soundType":"m4a"}',
    { type: 'sound', uuid: 'a1', url: 'https://oss/a.m4a', size: 20480, seconds: 7 },
    '{"uuid":"a1","sourceUrl":"https://oss/a.m4a","dataSize":20480,"duration":7}',
  ],
  [
    'video',
    104,
    '{"videoUUID":"v1","videoUrl":"https://oss/v.mp4","videoType":"mp4","videoSize":1048576,"duration":12,"snapshotUUID":"s1","snapshotSize":9000,"snapshotUrl":"https://oss/v.jpg","snapshotWidth":720,"snapshotHeight":1280,"snapshotType":"jpg"}',
    {
      type: 'video',
      uuid: 'v1',
      url: 'https://oss/v.mp4',
      size: 1048576,
      seconds: 12,
      format: 'mp4',
      thumbUUID: 's1',
      thumbURL: 'https://oss/v.jpg',
      thumbSize: 9000,
      thumbWidth: 720,
      thumbHeight: 1280,
      thumbFormat: 'jpg',
    },
  ],
  [
    'file (fileType is lost)',
    105,
    '{"uuid":"f1","sourceUrl":"https://oss/r.pdf","fileName":"r.pdf","fileSize":2048,"fileType":"pdf"}',
    { type: 'file', uuid: 'f1', url: 'https://oss/r.pdf', size: 2048, name: 'r.pdf' },
    '{"uuid":"f1","sourceUrl":"https://oss/r.pdf","fileName":"r.pdf","fileSize":2048}',
  ],
  [
    'at',
    106,
    '{"text":"@Bob hi","atUserList":["u3"],"atUsersInfo":[{"atUserID":"u3","groupNickname":"Bob"}],"isAtSelf":false}',
    {
      type: 'at',
      text: '@Bob hi',
      atUserIDs: ['u3'],
      atAll: false,
      atUsersInfo: [{ userID: 'u3', groupNickname: 'Bob' }],
    },
  ],
  [
    'location',
    109,
    '{"description":"Office","longitude":113.9,"latitude":22.5}',
    { type: 'location', description: 'Office', latitude: 22.5, longitude: 113.9 },
  ],
  [
    'custom',
    110,
    '{"data":"{\\"type\\":\\"order\\",\\"id\\":7}","description":"order"}',
    { type: 'custom', data: '{"type":"order","id":7}', description: 'order', extension: '', sound: '' },
  ],
  ['face', 115, '{"index":3,"data":"smile"}', { type: 'face', index: 3, data: 'smile' }],
  [
    'card (no canonical shape: kept raw)',
    108,
    '{"userID":"u9","nickname":"Carol","faceURL":"https://x/c.png","ex":""}',
    {
      type: 'raw',
      vendor: 'openim',
      kind: '108',
      content: '{"userID":"u9","nickname":"Carol","faceURL":"https://x/c.png","ex":""}',
    },
  ],
  [
    'content that is not an object',
    101,
    '"just a string"',
    { type: 'raw', vendor: 'openim', kind: '101', content: '"just a string"' },
  ],
];

describe('mappings/elements: the element codec', () => {
  for (const [name, tencent, canonical] of TENCENT) {
    it(`decodes Tencent's ${name} sample and encodes it back`, () => {
      expect(elementsFromTencent([tencent])).to.deep.equal([canonical]);
      expect(JSON.stringify(elementsToTencent([canonical]))).to.equal(JSON.stringify([tencent]));
    });
  }

  it('keeps only the basename of a Tencent FileName that is a client path (the path is lost)', () => {
    const [file] = elementsFromTencent([
      {
        MsgType: 'TIMFileElem',
        MsgContent: { UUID: 'x', FileSize: 1, FileName: 'file:///private/var/tmp/trim.B75D.MOV' },
      },
    ]);
    expect(file).to.include({ name: 'trim.B75D.MOV' });
  });

  it('matches image sizes on Type, not on their order', () => {
    const [image] = elementsFromTencent([
      {
        MsgType: 'TIMImageElem',
        MsgContent: {
          UUID: 'u',
          ImageFormat: 3,
          ImageInfoArray: [{ Type: 3, Size: 1, Width: 2, Height: 3, URL: 't' }],
        },
      },
    ]);
    expect(image).to.deep.include({
      format: 'png',
      original: null,
      large: null,
      thumb: { url: 't', size: 1, width: 2, height: 3 },
    });
  });

  for (const [name, contentType, content, canonical, reencoded] of OPENIM) {
    it(`decodes OpenIM's ${name} content and encodes it back${reencoded ? ' (with the loss declared)' : ''}`, () => {
      expect(elementsFromOpenIM({ contentType, content, atUserList: null })).to.deep.equal([canonical]);
      const back = elementsToOpenIM([canonical]);
      expect(back.contentType).to.equal(contentType);
      expect(back.content).to.equal(reencoded ?? content);
    });
  }

  it('reads OpenIM content keys in any order (REST sends them sorted)', () => {
    expect(
      elementsFromOpenIM({
        contentType: 109,
        content: '{"latitude":1.5,"longitude":2,"description":"d"}',
        atUserList: null,
      }),
    ).to.deep.equal([{ type: 'location', description: 'd', latitude: 1.5, longitude: 2 }]);
  });

  it('writes @all as AtAllTag, in the content and the message-level atUserList', () => {
    const at: Element = { type: 'at', text: '@all hi', atUserIDs: ['u1'], atAll: true, atUsersInfo: [] };
    const out = elementsToOpenIM([at]);
    expect(out.atUserList).to.deep.equal(['u1', 'AtAllTag']);
    expect(out.content).to.equal('{"text":"@all hi","atUserList":["u1","AtAllTag"],"isAtSelf":false}');
    expect(elementsFromOpenIM(out)).to.deep.equal([at]);
  });

  it('turns OpenIM notifications into notification elements without reading their content', () => {
    expect(elementsFromOpenIM({ contentType: 1501, content: '', atUserList: null })).to.deep.equal([
      { type: 'notification', contentType: 1501 },
    ]);
  });

  it('carries several Tencent elements to OpenIM as one custom element that decodes back into the list', () => {
    const body: TencentElement[] = [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'red <packet>' } },
      {
        MsgType: 'TIMCustomElem',
        MsgContent: { Data: ' LV1', Desc: ' CustomElement.MemberLevel ', Ext: '', Sound: '' },
      },
    ];
    const out = elementsToOpenIM(elementsFromTencent(body));
    expect(out.contentType).to.equal(110);
    const inner = JSON.parse(out.content) as { data: string; description: string };
    expect(inner.description).to.equal(TENCENT_BODY);
    // Go escaped the inner JSON's `<`, and the outer encoding escapes that backslash again.
    expect(out.content).to.include('\\\\u003cpacket\\\\u003e');
    expect(elementsToTencent(elementsFromOpenIM(out))).to.deep.equal(body);
  });

  it('carries an OpenIM element with no canonical shape through a Tencent custom element and back', () => {
    const card = { contentType: 108, content: '{"userID":"u9","nickname":"C","faceURL":"","ex":""}', atUserList: null };
    const tencent = elementsToTencent(elementsFromOpenIM(card));
    expect(tencent).to.deep.equal([
      { MsgType: 'TIMCustomElem', MsgContent: { Data: card.content, Desc: 'openim:108', Ext: '', Sound: '' } },
    ]);
    expect(elementsToOpenIM(elementsFromTencent(tencent))).to.deep.equal(card);
  });

  it('gives a merged message’s items stable OpenIM ids (the same callback always makes the same ids)', () => {
    const merged = elementsFromTencent([TENCENT.find(([n]) => n === 'TIMRelayElem')![1]]);
    const once = elementsToOpenIM(merged).content;
    expect(elementsToOpenIM(merged).content).to.equal(once);
    const items = (JSON.parse(once) as { multiMessage: { serverMsgID: string; sendTime: number; content: string }[] })
      .multiMessage;
    expect(items[0]!.serverMsgID).to.match(/^[0-9a-f]{32}$/);
    expect(items[0]).to.include({ sendTime: 1664437702000, content: '{"content":"What do you think of this?"}' });
  });

  // Round trips of everything each vendor can say, for the lossless elements.
  const text = fc.string({ maxLength: 20 });
  const uint = fc.nat({ max: 2 ** 31 - 1 });
  // JSON has no -0 (JSON.stringify writes 0), so a coordinate of -0 reads back as 0.
  const coordinate = (max: number) => fc.double({ noNaN: true, min: -max, max }).filter((x) => !Object.is(x, -0));
  const picture = fc.option(fc.record({ url: text, size: uint, width: uint, height: uint }), { nil: null });
  const lossless: fc.Arbitrary<Element> = fc.oneof(
    fc.record({ type: fc.constant('text' as const), text }),
    fc.record({
      type: fc.constant('location' as const),
      description: text,
      latitude: coordinate(90),
      longitude: coordinate(180),
    }),
    fc.record({ type: fc.constant('face' as const), index: uint, data: text }),
    fc.record({ type: fc.constant('sound' as const), uuid: text, url: text, size: uint, seconds: uint }),
    fc.record({
      type: fc.constant('file' as const),
      uuid: text,
      url: text,
      size: uint,
      name: text.filter((n) => !/[/\\]/.test(n)),
    }),
    fc.record({
      type: fc.constant('video' as const),
      uuid: text,
      url: text,
      size: uint,
      seconds: uint,
      format: text,
      thumbUUID: text,
      thumbURL: text,
      thumbSize: uint,
      thumbWidth: uint,
      thumbHeight: uint,
      thumbFormat: text,
    }),
    fc
      .record({
        type: fc.constant('image' as const),
        uuid: text.filter((u) => u !== ''),
        format: fc.constantFrom('jpg', 'gif', 'png', 'bmp', 'other'),
        original: picture,
        large: picture,
        thumb: picture,
      })
      .filter((i) => i.original !== null || i.large !== null || i.thumb !== null),
  );

  it('round-trips any list of lossless elements through a Tencent MsgBody', () => {
    const withCustom = fc.oneof(
      lossless,
      fc.record({
        type: fc.constant('custom' as const),
        data: text,
        description: text.filter((d) => !d.startsWith('openim:')),
        extension: text,
        sound: text,
      }),
    );
    fc.assert(
      fc.property(fc.array(withCustom, { maxLength: 4 }), (elements) => {
        expect(
          elementsFromTencent(JSON.parse(JSON.stringify(elementsToTencent(elements))) as TencentElement[]),
        ).to.deep.equal(elements);
      }),
    );
  });

  it('round-trips any single lossless element, and any list, through OpenIM content', () => {
    fc.assert(
      fc.property(fc.array(lossless, { maxLength: 3 }), (elements) => {
        expect(elementsFromOpenIM(elementsToOpenIM(elements))).to.deep.equal(elements);
      }),
    );
  });
});
