import { parentPort, workerData } from 'node:worker_threads';
import { PosterPage, renderPosters } from './posterPdf';

/**
 * One poster PDF, drawn in a worker thread (src/outreach/posterThread.ts) and posted back: a
 * worker per request, since posters are made a few times a campaign and a worker that stayed
 * would keep the fonts (several MB) in memory for nothing.
 */
interface Job {
  pages: PosterPage[];
  options: { fontDirs?: string[]; title?: string };
}

const job = workerData as Job;
renderPosters(job.pages, job.options).then(
  (pdf) => parentPort!.postMessage({ ok: true, pdf }),
  (err: Error) => parentPort!.postMessage({ ok: false, name: err.name, message: err.message }),
);
