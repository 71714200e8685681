import crypto from 'node:crypto';
import fs from 'node:fs';
import { Request, Response } from 'restify';
import { acceptedEncoding, compress, Encoding } from './compression';

/**
 * A file served from the project itself (no CDN), compressed once and kept in memory. Web Chat's
 * bundle is about 2 MB; gzip or Brotli brings it to about a quarter, which matters to a
 * respondent on prepaid mobile data. The URL carries a content hash, so browsers may cache it
 * for long and a new version is fetched after an upgrade.
 */
export class StaticFile {
  readonly hash: string;
  private readonly body: Buffer;
  private readonly compressed = new Map<Encoding, Buffer>();

  constructor(
    readonly file: string,
    private readonly contentType: string,
  ) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm install (the web page serves it from the project).`);
    this.body = fs.readFileSync(file);
    this.hash = crypto.createHash('sha256').update(this.body).digest('base64url').slice(0, 12);
  }

  /** Sends the file, compressed when the browser accepts it; 304 when it already has it. */
  send(req: Request, res: Response): void {
    const etag = `"${this.hash}"`;
    res.setHeader('Content-Type', this.contentType);
    res.setHeader('Cache-Control', 'public, max-age=604800');
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.header('if-none-match') === etag) {
      res.sendRaw(304, '');
      return;
    }
    const encoding = acceptedEncoding(req);
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.sendRaw(200, this.encoded(encoding));
  }

  private encoded(encoding: Encoding): Buffer {
    let body = this.compressed.get(encoding);
    if (!body) this.compressed.set(encoding, (body = compress(this.body, encoding, true)));
    return body;
  }
}
