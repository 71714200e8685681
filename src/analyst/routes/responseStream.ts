import { Writable } from 'node:stream';
import { Response } from 'restify';

/**
 * The export's output, forwarded to the HTTP response with backpressure. Once the client has gone,
 * it takes what is still written and drops it: the export then finishes quickly and cleans up its
 * temporary files, instead of waiting for a drain that never comes.
 */
export class ResponseStream extends Writable {
  private gone = false;

  constructor(private readonly res: Response) {
    super();
    res.once('close', () => {
      if (!res.writableFinished) this.gone = true;
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.gone || this.res.destroyed) return callback();
    if (this.res.write(chunk)) return callback();
    const done = () => {
      this.res.off('drain', done);
      this.res.off('close', done);
      callback();
    };
    this.res.on('drain', done);
    this.res.on('close', done);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.gone || this.res.destroyed) return callback();
    this.res.end(() => callback());
  }

  /** Ends the response (if the writer has not) and resolves when it has been handed to the socket. */
  async close(): Promise<void> {
    if (!this.writableEnded) this.end();
    if (this.writableFinished) return;
    await new Promise<void>((resolve, reject) => {
      this.once('finish', resolve);
      this.once('error', reject);
    });
  }
}
