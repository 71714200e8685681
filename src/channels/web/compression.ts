import zlib from 'node:zlib';
import { Request } from 'restify';

/** A response body encoding the project serves: Brotli, gzip, or none. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** Brotli when the browser takes it (every current one, over HTTPS and on localhost), else gzip, else none. */
export function acceptedEncoding(req: Request): Encoding {
  const accepts = req.header('accept-encoding') ?? '';
  if (/\bbr\b/.test(accepts)) return 'br';
  if (/\bgzip\b/.test(accepts)) return 'gzip';
  return 'identity';
}

/**
 * Compresses a body. `once` is for files compressed a single time and kept (Brotli quality 9:
 * within a few percent of 11, and fast enough for the first request); a page made per response
 * takes quality 5, a millisecond for a few tens of kilobytes and about as small for text.
 */
export function compress(body: Buffer, encoding: Encoding, once: boolean): Buffer {
  if (encoding === 'br') return zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: once ? 9 : 5 } });
  if (encoding === 'gzip') return zlib.gzipSync(body, { level: once ? 9 : 6 });
  return body;
}
