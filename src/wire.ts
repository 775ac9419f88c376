/** One HTTP request imbridge would send downstream, fully serialised: what goes on the wire. */
export interface WireRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** The exact body bytes, as a UTF-8 string. */
  body: string;
}

/** A downstream reply as the forwarder hands it to a vendor's reply reader. */
export interface WireReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
