import ipaddr from 'ipaddr.js';
import type { Middleware } from 'koa';
import proxyaddr from 'proxy-addr';
import { ImbridgeError } from '../errors.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function toRange(entry: string): Range {
  if (entry.includes('/')) return ipaddr.parseCIDR(entry);
  const addr = ipaddr.parse(entry);
  return [addr, addr.kind() === 'ipv4' ? 32 : 128];
}

/** What `allowCallers` leaves for later middleware: the caller's address, as it decided it. */
export interface CallerState {
  /** The caller's IP (IPv4 clients on a dual-stack socket as a.b.c.d), or the raw peer text if unreadable. */
  callerIP: string;
}

/**
 * Refuses callers outside `allowed` (IPs/CIDRs; empty allows everyone), and leaves the caller's address
 * in `ctx.state.callerIP`. The caller is the socket's peer, unless that peer is one of
 * `trustedProxies`, whose `X-Forwarded-For` is then followed to the nearest address not trusted — so a
 * client cannot forge its way in with its own header.
 */
export function allowCallers({
  allowed,
  trustedProxies,
}: {
  allowed: readonly string[];
  trustedProxies: readonly string[];
}): Middleware<CallerState> {
  const ranges = allowed.map(toRange);
  const trust = proxyaddr.compile([...trustedProxies]);
  return async function allowCallers(ctx, next) {
    const raw = proxyaddr(ctx.req, trust);
    let addr: ipaddr.IPv4 | ipaddr.IPv6 | undefined;
    try {
      // IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
      addr = ipaddr.process(raw);
    } catch {
      addr = undefined;
    }
    if (
      ranges.length > 0 &&
      (!addr || !ranges.some(([range, bits]) => addr!.kind() === range.kind() && addr!.match(range, bits)))
    ) {
      throw new ImbridgeError('forbidden_origin', `caller ${raw} is not in the allowed addresses`, 403);
    }
    ctx.state.callerIP = addr ? addr.toString() : raw;
    await next();
  };
}
