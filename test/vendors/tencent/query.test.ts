import { expect } from 'chai';
import { normalisePlatform, parseTencentQuery } from '../../../src/vendors/tencent/query.js';
import { ImbridgeError } from '../../../src/errors.js';

const parse = (qs: string) => parseTencentQuery(Object.fromEntries(new URLSearchParams(qs)));

describe('vendors/tencent/query', () => {
  it('reads the documented query (docs/vendors/tencent.md#requests)', () => {
    expect(
      parse(
        'SdkAppid=888888&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=1.2.3.4&OptPlatform=Web&Sign=ab&RequestTime=1669872112',
      ),
    ).to.deep.equal({
      sdkAppId: '888888',
      command: 'Sns.CallbackFriendAdd',
      clientIP: '1.2.3.4',
      platform: 'Web',
      sign: 'ab',
      requestTime: '1669872112',
    });
  });

  const spellings = ['SdkAppid', 'SdkAppId', 'sdkappid', 'SDKAPPID'];
  for (const key of spellings) {
    it(`accepts ${key}`, () => expect(parse(`${key}=1400000000&CallbackCommand=X`).sdkAppId).to.equal('1400000000'));
  }

  for (const ct of ['json', 'JSON', 'Json', '']) {
    it(`accepts contenttype=${ct || '(empty)'}`, () => expect(() => parse(`contenttype=${ct}`)).not.to.throw());
  }

  it('refuses another contenttype, naming it', () => {
    expect(() => parse('contenttype=xml')).to.throw(ImbridgeError, /contenttype must be json, got "xml"/);
  });

  const platforms: [string, string][] = [
    ['IOS', 'iOS'],
    ['iOS', 'iOS'],
    ['IPad', 'iPad'],
    ['macOS', 'Mac'],
    ['RESTAPI', 'RESTAPI'],
    ['SmartWatch', 'SmartWatch'],
  ];
  for (const [raw, norm] of platforms) {
    it(`normalises OptPlatform ${raw} to ${norm}`, () => expect(normalisePlatform(raw)).to.equal(norm));
  }

  const parseRepeated = (qs: string) => {
    // As Koa parses a query: a repeated key becomes an array.
    const raw: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(qs)) raw[k] = k in raw ? ([] as string[]).concat(raw[k]!, v) : v;
    return parseTencentQuery(raw);
  };

  it('refuses the app, command or signature given twice with different values, naming the key', () => {
    expect(() => parseRepeated('SdkAppid=1&CallbackCommand=A&CallbackCommand=B')).to.throw(
      ImbridgeError,
      'query parameter CallbackCommand is given twice with different values',
    );
    expect(() => parseRepeated('SdkAppid=1&SdkAppId=2&CallbackCommand=A')).to.throw(
      ImbridgeError,
      'query parameter SdkAppId is given twice with different values',
    );
    expect(() => parseRepeated('RequestTime=1&requesttime=2')).to.throw(ImbridgeError, /requesttime is given twice/);
  });

  it('takes the same value given twice, and the first of a repeated key that decides nothing', () => {
    expect(parseRepeated('SdkAppid=1&sdkappid=1&CallbackCommand=A&CallbackCommand=A').command).to.equal('A');
    expect(parseRepeated('SdkAppid=1&OptPlatform=iOS&OptPlatform=Web&ClientIP=1.1.1.1&ClientIP=2.2.2.2')).to.include({
      platform: 'iOS',
      clientIP: '1.1.1.1',
    });
  });

  it('treats absent ClientIP/OptPlatform as unknown, not empty', () => {
    const q = parse('SdkAppid=1&CallbackCommand=X&ClientIP=&OptPlatform=');
    expect(q).not.to.have.property('clientIP');
    expect(q).not.to.have.property('platform');
  });
});
