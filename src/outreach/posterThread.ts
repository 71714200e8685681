import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../paths';
import { FontMissingError } from './posterFonts';
import type { PosterPage } from './posterPdf';

type Reply = { ok: true; pdf: Uint8Array } | { ok: false; name: string; message: string };

/** The compiled worker, which the sources (the tests) use too: `npm test` builds first. */
export const POSTER_WORKER = path.join(projectRoot, 'dist', 'src', 'outreach', 'posterWorker.js');

/**
 * Posters drawn off the calling thread. Laying out and shaping seventeen pages takes about 0.4 s
 * of CPU, which inside the bot would hold up every respondent's turn meanwhile (the analyst API
 * runs in the bot's process). Where nothing is built yet it draws in the calling thread.
 */
export async function renderPostersApart(pages: PosterPage[], options: { fontDirs?: string[]; title?: string } = {}, script = POSTER_WORKER): Promise<Buffer> {
  if (!fs.existsSync(script)) {
    const { renderPosters } = await import('./posterPdf');
    return renderPosters(pages, options);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const worker = new Worker(script, { workerData: { pages, options } });
    let settled = false;
    worker.once('message', (m: Reply) => {
      settled = true;
      if (m.ok) resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      // A missing font is the operator's to mend: it keeps its class and its message.
      else reject(m.name === 'FontMissingError' ? new FontMissingError(m.message) : Object.assign(new Error(m.message), { name: m.name }));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`poster worker exited with code ${code}`));
    });
  });
}
