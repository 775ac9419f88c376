import { expect } from 'chai';
import { goJson } from '../../../src/vendors/openim/goJson.js';

describe('vendors/openim/goJson', () => {
  const cases: [string, unknown, string][] = [
    ['escapes <, > and & as Go does', { a: '<b>&' }, '{"a":"\\u003cb\\u003e\\u0026"}\n'],
    ['escapes U+2028 and U+2029', { a: '\u2028\u2029' }, '{"a":"\\u2028\\u2029"}\n'],
    ['keeps other non-ASCII raw', { a: '中文é' }, '{"a":"中文é"}\n'],
    ['writes nil lists and pointers as null', { a: null }, '{"a":null}\n'],
    ['keeps key order as built', { z: 1, a: 2 }, '{"z":1,"a":2}\n'],
    ['escapes quotes and backslashes like JSON', { a: '"\\' }, '{"a":"\\"\\\\"}\n'],
    [
      'writes a lone surrogate as U+FFFD, as Go does with the "\\ud800" it decoded',
      { a: 'x\ud800y', b: '\udfff' },
      '{"a":"x\ufffdy","b":"\ufffd"}\n',
    ],
    ['keeps a surrogate pair as the character it makes', { a: '😀' }, '{"a":"😀"}\n'],
    ['leaves the text \\ud800 (an escaped backslash) alone', { a: '\\ud800' }, '{"a":"\\\\ud800"}\n'],
  ];
  for (const [name, value, bytes] of cases) {
    it(name, () => expect(goJson(value)).to.equal(bytes));
  }
  it('round-trips through JSON.parse', () => {
    const v = { x: '<&>\u2028中', y: [1, null] };
    expect(JSON.parse(goJson(v))).to.deep.equal(v);
  });
});
