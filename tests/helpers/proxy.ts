import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A round-robin load balancer in front of several bot processes, as a deployment puts one: each
 * request goes to the next backend in turn; a backend that refuses the connection (killed) is
 * skipped for the next one. `hits` counts what each backend served. `route` may pick the backend
 * for a request instead (polls to one process, posts to the other).
 */
export interface Proxy {
  url: string;
  hits: number[];
  close(): Promise<void>;
}

export async function roundRobinProxy(targets: string[], route?: (req: http.IncomingMessage) => number): Promise<Proxy> {
  const hits = targets.map(() => 0);
  let next = 0;
  const forward = (i: number, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const target = new URL(targets[i]);
      const out = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const first = route ? route(req) : next++;
      for (let tries = 0; tries < targets.length; tries++) {
        const i = (first + tries) % targets.length;
        try {
          const r = await forward(i, req, body);
          hits[i]++;
          res.writeHead(r.status, r.headers);
          res.end(r.body);
          return;
        } catch {
          // Connection refused or reset: that backend is down; try the next.
        }
      }
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
