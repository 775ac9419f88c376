import { expect } from 'chai';
import { number, object, string } from 'yup';
import { readReplyBody } from '../src/replyBody.js';
import { readOpenIMReply } from '../src/vendors/openim/envelope.js';

const schema = object({ code: number().integer().defined(), list: object({ a: string().optional() }).optional() });

describe('readReplyBody: backend replies read once per text', () => {
  it('gives the same frozen reading for the same text, and a change to it throws', () => {
    const first = readReplyBody(schema, '{"code":"7","list":{"a":"x"}}', false);
    const second = readReplyBody(schema, '{"code":"7","list":{"a":"x"}}', false);
    expect(first).to.deep.equal({ ok: true, value: { code: 7, list: { a: 'x' } } });
    expect(second, 'the cached reading').to.equal(first);
    expect(() => {
      (first as { value: { list: { a: string } } }).value.list.a = 'y';
    }, 'shared readings are frozen all the way down').to.throw(TypeError);
  });

  it('keeps strict and lenient readings of one text apart', () => {
    const lenient = readReplyBody(schema, '{"code":"8"}', false);
    expect(lenient.ok && lenient.value.code, 'cast from the string').to.equal(8);
    expect(readReplyBody(schema, '{"code":"8"}', true)).to.include({ ok: false, wrong: 'invalid' });
  });

  it('names what is wrong: not JSON, not an object, or not the schema', () => {
    expect(readReplyBody(schema, 'oops', false)).to.include({ ok: false, wrong: 'not-json' });
    expect(readReplyBody(schema, '[1]', false)).to.include({ ok: false, wrong: 'not-object' });
    expect(readReplyBody(schema, 'null', false)).to.include({ ok: false, wrong: 'not-object' });
    const bad = readReplyBody(schema, '{"code":"x"}', false);
    expect(bad).to.include({ ok: false, wrong: 'invalid' });
    expect(bad.ok === false && bad.message).to.match(/code/);
  });

  it('reads long bodies afresh every time', () => {
    const long = JSON.stringify({ code: 1, list: { a: 'z'.repeat(2_000) } });
    const first = readReplyBody(schema, long, false);
    expect(first).to.deep.equal(readReplyBody(schema, long, false));
    expect(readReplyBody(schema, long, false)).not.to.equal(first);
  });

  it('gives every OpenIM reply its own verdict, even when the texts are the same', () => {
    const body = '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["b"]}';
    const first = readOpenIMReply(body, 'callbackBeforeImportFriendsCommand');
    const second = readOpenIMReply(body, 'callbackBeforeImportFriendsCommand');
    if (!first.ok || !second.ok) throw new Error('expected allow');
    first.verdict.patch.friendUserIDs!.push('c');
    expect(second.verdict.patch.friendUserIDs).to.deep.equal(['b']);
  });
});
