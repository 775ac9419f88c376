import { expect } from 'chai';
import { normalisePlatform, parseTencentQuery } from '../../../src/vendors/tencent/query.js';
import { ImbridgeError } from '../../../src/errors.js';

const parse = (qs: string) => parseTencentQuery(Object.fromEntries(new URLSearchParams(qs)));

describe('vendors/tencent/query', () => {
  it('reads the documented query (T§1.2)', () => {
    expect(
      parse('SdkAppid=888888&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=1.2.3.4&OptPlatform=Web&Sign=ab&RequestTime=1669872112'),
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

  it('treats absent ClientIP/OptPlatform as unknown, not empty', () => {
    const q = parse('SdkAppid=1&CallbackCommand=X&ClientIP=&OptPlatform=');
    expect(q).not.to.have.property('clientIP');
    expect(q).not.to.have.property('platform');
  });
});
