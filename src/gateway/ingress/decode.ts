import { ValidationError } from 'yup';
import { decoderFor } from '../../../mappings/index.js';
import { makeEvent, type Origin } from '../../canonical/event.js';
import type { AnyEvent, EventData } from '../../canonical/types.js';
import { ImbridgeError } from '../../errors.js';
import { UNKNOWN_FIELD_TEST } from '../../vendors/exact.js';

/** What to do with body keys a vendor schema does not declare. */
export type UnknownFields = 'reject' | 'ignore';

/**
 * The body keys a vendor schema does not declare, as `path.key` with array indices dropped
 * (`PairList[].New`), from the unknown-field errors of one validation.
 */
function unknownKeys(errors: ValidationError[]): string[] {
  const keys = new Set<string>();
  for (const e of errors) {
    const where = e.path && e.path !== 'this' ? `${e.path.replace(/\[\d+\]/g, '[]')}.` : '';
    for (const key of String(e.params?.['properties'] ?? '').split(', ')) if (key) keys.add(where + key);
  }
  return [...keys];
}

/**
 * Validates and decodes one vendor delivery into its canonical event. Returns undefined for a command
 * imbridge knows but does not map; throws `invalid_payload` naming the offending field. Keys the
 * schema does not declare are accepted and handed to `onUnknown` when `unknownFields` is `ignore`
 * (the default in config: vendors add fields between versions, and refusing them would lose every
 * after-event of that command), and refused when it is `reject`.
 */
export function decodeDelivery(
  origin: Origin,
  body: unknown,
  unknownFields: UnknownFields = 'reject',
  onUnknown?: (keys: string[]) => void,
): AnyEvent | undefined {
  const d = decoderFor(origin.vendor, origin.command, body);
  if (!d) return undefined;
  try {
    d.schema.validateSync(body, { strict: true, abortEarly: unknownFields === 'reject' });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const problems = err.inner.length > 0 ? err.inner : [err];
    const relevant = unknownFields === 'ignore' ? problems.filter((e) => e.type !== UNKNOWN_FIELD_TEST) : problems;
    if (relevant.length > 0) throw new ImbridgeError('invalid_payload', relevant[0]!.message);
    onUnknown?.(unknownKeys(problems));
  }
  // Strict validation does not transform, so the body itself is the validated value.
  return makeEvent(d.type, d.decode(body, origin.meta) as EventData<typeof d.type>, origin) as AnyEvent;
}
