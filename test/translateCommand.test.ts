import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { mappingOf } from '../mappings/index.js';
import { translatePayload } from '../src/translateCommand.js';
import { fixture } from './helpers/fixtures.js';

/** Every vendor request fixture (variants are named `<variant>.<Command>`; replies `<Command>.reply`). */
function requestFixtures(vendor: 'tencent' | 'openim'): { name: string; command: string }[] {
  return readdirSync(new URL(`./fixtures/${vendor}/`, import.meta.url))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => !name.endsWith('.reply'))
    .map((name) => ({ name, command: name.split('.').slice(vendor === 'tencent' ? -2 : -1).join('.') }));
}

describe('imbridge translate, every command to every format', () => {
  for (const vendor of ['tencent', 'openim'] as const) {
    for (const { name, command } of requestFixtures(vendor)) {
      for (const to of ['tencent', 'openim', 'canonical'] as const) {
        it(`${vendor} ${name} → ${to}`, () => {
          const body = fixture(vendor, name);
          const result = translatePayload({
            from: vendor,
            to,
            body,
            query: vendor === 'tencent' ? `SdkAppid=1400000000&CallbackCommand=${command}` : undefined,
            command: vendor === 'openim' ? command : undefined,
            sdkAppId: '1400000000',
            nowMs: 0,
          });
          expect(result.event, 'mapped').to.not.equal(null);
          const hasCounterpart = to === 'canonical' || mappingOf(result.event!.type).encoders[to] !== undefined;
          if (!hasCounterpart) expect(result.requests).to.equal(null);
          else for (const r of result.requests!) expect(r.url).to.match(/^http:\/\/backend\.invalid\/callback/);
        });
      }
    }
  }
});

describe('imbridge translate, edge cases', () => {
  it('asks for an app id only when it has a Tencent request to build', () => {
    const body = fixture('openim', 'callbackAfterAddFriendCommand');
    expect(translatePayload({ from: 'openim', to: 'tencent', body }).requests).to.equal(null);
    expect(() => translatePayload({ from: 'openim', to: 'tencent', body: fixture('openim', 'callbackAfterDeleteFriendCommand') })).to.throw(/--sdkappid is required/);
  });
});
