import { Request } from 'restify';

// Who is asking, for rate limits: held in memory as a limiter's key, never logged or stored.

/**
 * The client's address: the socket's peer, or, behind `trustProxy` reverse proxies, the entry that
 * many places from the right of X-Forwarded-For (each proxy appends the address it saw; entries
 * further left are whatever the client wrote). A header shorter than that falls back to its first entry.
 */
export function clientAddress(req: Pick<Request, 'header'> & { socket: { remoteAddress?: string } }, trustProxy: number): string | undefined {
  const peer = req.socket.remoteAddress;
  if (trustProxy <= 0) return peer;
  const forwarded = (req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!forwarded.length) return peer;
  return forwarded[Math.max(0, forwarded.length - trustProxy)];
}

/**
 * The key a client is limited by: its address, with IPv4-mapped IPv6 read as IPv4, and IPv6 cut
 * to its /64 (one subscriber's network: a host can pick any address in it).
 */
export function clientKey(remoteAddress: string | undefined): string {
  const a = (remoteAddress ?? 'unknown').toLowerCase();
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) return v4[1];
  if (!a.includes(':')) return a;
  const [head, tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
