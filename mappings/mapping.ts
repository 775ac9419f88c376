import type { InferType, Schema } from 'yup';
import type {
  CanonicalType,
  DataByType,
  DownstreamFormat,
  EventData,
  Meta,
  Vendor,
  Verdict,
} from '../src/canonical/types.js';

/** One vendor request a mapping wants sent downstream, before serialisation. */
export interface OutboundCall {
  /** The vendor command (Tencent `CallbackCommand`, OpenIM path segment). */
  command: string;
  /** The vendor body, with keys in the order the vendor's own server writes them. */
  body: object;
  /** The user ids this call decides for; a deny without per-item answers denies all of them. */
  targets: string[];
  /** Tencent `OptPlatform` for this call, when the event's meta does not say (an OpenIM sender's platform). */
  platform?: string;
  /**
   * A call the caller's vendor never makes on its own (the OpenIM modify call after a Tencent
   * before-send): made only when `downstream.commands` lists its command, and only once the calls
   * before it allowed the event (docs/configuration.md#backend-formats).
   */
  synthesized?: true;
}

/** What an encoder may need besides the event. */
export interface EncodeContext {
  /** Now, in Unix milliseconds (injected so encoders stay pure). */
  nowMs: number;
  /**
   * The operation ID the calls go out under (OpenIM's `Operationid` header): the caller's, else the
   * event id. OpenIM message bodies repeat it, so they say the same.
   */
  operationID?: string;
  /**
   * The vendor command the event came in as. Where a vendor has two forms of one callback (OpenIM's
   * set-group-info and its `…Ex` twin), a before-event goes to a same-format backend in the form its
   * caller used, so the reply can be read, and answered, in that form.
   */
  command?: string;
}

/** Turns one vendor command's validated body into canonical `data` of type `D`. */
export interface Decoder<D> {
  vendor: Vendor;
  command: string;
  schema: Schema<unknown>;
  /** When several decoders share a command, the first whose `when` accepts the raw body wins. */
  when?: (body: unknown) => boolean;
  /**
   * `meta` is what the request says around the body (Tencent's query, the caller's address); a decoder
   * may read it (Tencent's `OptPlatform` is a presence event's platform) and refine it from the body
   * (OpenIM's presence `seq` is the event's time).
   */
  decode(body: unknown, meta: Meta): D;
}

/** Turns canonical `data` into the calls a vendor-format backend expects. */
export type Encoder<T extends CanonicalType> = (data: EventData<T>, ctx: EncodeContext) => OutboundCall[];

/** What is lost when a vendor's command is carried by this mapping (for the mapping table). */
export interface Loss {
  vendor: Vendor;
  command: string;
  lost: string;
}

/**
 * Everything imbridge knows about one canonical type: both vendors' decoders and encoders side by
 * side, so asymmetries are visible in one file.
 */
export interface Mapping<T extends CanonicalType> {
  type: T;
  /** Typical `data` (one per distinct route), for documentation and for listing the commands each encoder emits. */
  examples: [DataByType[T], ...DataByType[T][]];
  decoders: Decoder<DataByType[T]>[];
  /** Per downstream vendor; a missing vendor means the type has no counterpart there (unmapped). */
  encoders: Partial<Record<Vendor, Encoder<T>>>;
  /** Before-events: the user ids the caller's envelope answers for one by one. */
  targets?: (data: EventData<T>) => string[];
  /**
   * Before-events: folds per-target decisions into what the calling vendor can apply with the command
   * it called (`command`, the event's `imcommand`).
   */
  settle?: (data: EventData<T>, verdict: Verdict, command: string) => Verdict;
  /**
   * Before-events the named vendor has only as an after-callback: the gateway allows at once and
   * then notifies the backend, whose answer cannot change what already happened (docs/mappings.md#timing-mismatches).
   */
  notifyOnly?: Partial<Record<DownstreamFormat, true>>;
  /** Known losses, by source command. */
  losses?: Loss[];
}

/**
 * Declares a decoder with its body type inferred from the schema, so `decode` is type-checked against
 * what validation guarantees.
 */
export function decoder<S extends Schema<unknown>, D>(d: {
  vendor: Vendor;
  command: string;
  schema: S;
  when?: (body: unknown) => boolean;
  decode: (body: InferType<S>, meta: Meta) => D;
}): Decoder<D> {
  return d as Decoder<D>;
}

/** Identity helper that checks a mapping against its `type` (and infers from nothing else). */
export function defineMapping<T extends CanonicalType>(
  mapping: { type: T } & Omit<Mapping<NoInfer<T>>, 'type'>,
): Mapping<T> {
  return mapping as Mapping<T>;
}

/**
 * A call that decides for no target in particular: every after-event call, and a before-event call
 * whose answer is one decision for the whole event (a profile change, a remark, an add-black).
 */
export function wholeCall(command: string, body: object): OutboundCall {
  return { command, body, targets: [] };
}

/** The time a vendor body states for an event: when it happened as reported, else now (the encoder's clock). */
export function eventTime(meta: Meta | undefined, ctx: EncodeContext): number {
  return meta?.eventTime ?? ctx.nowMs;
}
