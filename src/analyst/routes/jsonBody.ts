import { Request } from 'restify';

/** The body of a POST as a JSON object: restify's body parser may have read it already. */
export async function jsonBody(req: Request): Promise<Record<string, unknown> | undefined> {
  let body: unknown = (req as Request & { body?: unknown }).body;
  if (body === undefined && req.readable) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 4096) return undefined;
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks).toString('utf8');
  }
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}
