import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { MAPPINGS } from '../../mappings/index.js';
import { mappingTable, TABLE_END, TABLE_START, withMappingTable } from '../../src/commands/mappingTable.js';
import { OPENIM_COMMANDS } from '../../src/vendors/openim/commands.js';
import { TENCENT_COMMANDS } from '../../src/vendors/tencent/commands.js';

describe('mapping table', () => {
  const table = mappingTable();

  it('docs/mappings.md carries the current generated table (run `npm run docs` after changing a mapping)', () => {
    const page = readFileSync(new URL('../../docs/mappings.md', import.meta.url), 'utf8');
    expect(page).to.include(TABLE_START).and.include(TABLE_END);
    expect(withMappingTable(page)).to.equal(page);
  });

  it('lists every command of both vendors', () => {
    for (const command of [...TENCENT_COMMANDS, ...OPENIM_COMMANDS]) expect(table).to.include(`| \`${command}\``);
  });

  it('lists every canonical type and shows mapped commands with their counterparts', () => {
    for (const type of Object.keys(MAPPINGS)) expect(table).to.include(`\`${type}\``);
    expect(table).to.include(
      '| tencent | `Sns.CallbackFriendDelete` | `im.friend.deleted` | `Sns.CallbackFriendDelete` | `callbackAfterDeleteFriendCommand` | to OpenIM: one call per pair',
    );
    expect(table).to.include(
      '| openim | `callbackAfterDeleteFriendCommand` | `im.friend.deleted` | `Sns.CallbackFriendDelete` | `callbackAfterDeleteFriendCommand` | lossless |',
    );
    expect(table).to.include('`Sns.CallbackBlackListAdd` (notification; allowed at once)');
    expect(table).to.include(
      '| tencent | `Group.CallbackOnMemberStateChange` | — | — (answered by imbridge) | — (answered by imbridge) | not mapped |',
    );
  });

  it('refuses a page without the markers', () => {
    expect(() => withMappingTable('# no table here')).to.throw(/mapping-table:start/);
  });
});
