import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { MAPPINGS } from '../../mappings/index.js';
import { jsonSchemas, schemaText } from '../../src/canonical/jsonSchema.js';
import type { CanonicalType } from '../../src/canonical/types.js';
import { canonical } from '../helpers/translate.js';

const dir = new URL('../../schemas/', import.meta.url);
const committed = (name: string) => readFileSync(new URL(name, dir), 'utf8');

describe('published JSON Schemas (schemas/)', () => {
  const generated = jsonSchemas();

  it('are exactly what the yup schemas generate (run `npm run docs` after changing a schema)', () => {
    expect(readdirSync(dir).sort()).to.deep.equal(Object.keys(generated).sort());
    for (const [name, schema] of Object.entries(generated)) expect(committed(name), name).to.equal(schemaText(schema));
  });

  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const [type, mapping] of Object.entries(MAPPINGS)) {
    it(`${type}: every example event validates, and a broken one does not`, () => {
      const validate = ajv.compile(JSON.parse(committed(`${type}.schema.json`)));
      for (const example of mapping.examples) {
        const event = canonical(type as CanonicalType, example as never);
        expect(validate(event), JSON.stringify(validate.errors)).to.equal(true);
        expect(validate({ ...event, data: { ...event.data, meta: { eventTime: 'yesterday' } } })).to.equal(false);
        expect(validate({ ...event, type: 'im.other' })).to.equal(false);
      }
    });
  }

  it('the verdict schema accepts a minimal and a full verdict and refuses a bad decision', () => {
    const validate = ajv.compile(JSON.parse(committed('verdict.schema.json')));
    expect(validate({ decision: 'allow' })).to.equal(true);
    expect(
      validate({
        decision: 'deny',
        code: 38001,
        message: 'm',
        detail: 'd',
        items: [{ userID: 'a', decision: 'deny' }],
        patch: { friendUserIDs: ['b'], remark: 'r' },
      }),
    ).to.equal(true);
    expect(validate({ decision: 'perhaps' })).to.equal(false);
  });
});
