import { convertSchema } from '@sodaru/yup-to-json-schema';
import type { AnySchema } from 'yup';
import { CANONICAL_TYPES } from './catalog.js';
import { eventSchema, verdictSchema } from './schemas.js';

const DIALECT = 'http://json-schema.org/draft-07/schema#';

function document(id: string, schema: unknown): object {
  return { $schema: DIALECT, $id: id, ...(convertSchema(schema as AnySchema) as object) };
}

/**
 * The published JSON Schemas, by file name: one per canonical event type (the whole CloudEvent) and one
 * for the canonical verdict. Generated from the yup schemas imbridge itself validates with, so that a
 * backend in any language checks exactly what imbridge checks.
 */
export function jsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const type of CANONICAL_TYPES) out[`${type}.schema.json`] = document(`${type}.schema.json`, eventSchema(type));
  out['verdict.schema.json'] = document('verdict.schema.json', verdictSchema);
  return out;
}

/** A schema file's exact text. */
export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
