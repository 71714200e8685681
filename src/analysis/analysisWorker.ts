import { parentPort } from 'node:worker_threads';
import { createStore } from '../store/createStore';
import { ResponseFilter } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { Accumulator, AnalysisRequest } from './analyze';

/**
 * One worker of src/analysis/parallel.ts: counts one range of response ids per job and posts the
 * counts. It stays for the next job, so that its code is compiled and warm when an analyst asks
 * the next table.
 */
interface Job {
  databaseUrl: string;
  survey: SurveyDefinition;
  request: AnalysisRequest;
  filter: ResponseFilter;
}

async function run(job: Job): Promise<void> {
  const store = createStore(job.databaseUrl);
  try {
    const acc = new Accumulator(job.survey, job.request);
    for await (const batch of store.scanResponses(job.filter, { batchSize: 2000 })) for (const r of batch) acc.add(r);
    parentPort!.postMessage({ ok: true, state: acc.snapshot() });
  } finally {
    await store.close();
  }
}

parentPort!.on('message', (job: Job) => {
  run(job).catch((err: Error) => parentPort!.postMessage({ ok: false, name: err.name, message: err.message }));
});
