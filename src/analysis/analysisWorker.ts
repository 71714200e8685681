import { parentPort } from 'node:worker_threads';
import { createStore } from '../store/createStore';
import { ResponseFilter } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { Accumulator, AnalysisRequest, countedQuestions } from './analyze';
import { ResponseCoder } from './coding';
import { CompletedResponses } from './completedResponses';

/**
 * One worker of src/analysis/parallel.ts: counts one range of response ids per job and posts the
 * counts. It stays for the next job, with its code compiled and the completed responses it read
 * kept, so that the next table an analyst asks for reads only what changed.
 */
interface Job {
  databaseUrl: string;
  survey: SurveyDefinition;
  request: AnalysisRequest;
  filter: ResponseFilter;
  /** rangeKey() of the job's database, filter and survey. */
  range: string;
}

/** Completed responses by database, survey and range; a few, the most recently used last. */
const keptFor = new Map<string, CompletedResponses>();
const KEPT_RANGES = 4;

function completedFor(job: Job): CompletedResponses {
  const key = job.range;
  let kept = keptFor.get(key);
  if (kept) keptFor.delete(key);
  else kept = new CompletedResponses(new ResponseCoder(countedQuestions(job.survey)));
  keptFor.set(key, kept);
  while (keptFor.size > KEPT_RANGES) keptFor.delete(keptFor.keys().next().value!);
  return kept;
}

async function run(job: Job): Promise<void> {
  const store = createStore(job.databaseUrl);
  try {
    const kept = completedFor(job);
    const acc = new Accumulator(job.survey, job.request, kept.coder);
    await kept.read(store, job.filter, (r) => acc.add(r));
    parentPort!.postMessage({ ok: true, state: acc.snapshot() });
  } finally {
    await store.close();
  }
}

parentPort!.on('message', (job: Job) => {
  run(job).catch((err: Error) => parentPort!.postMessage({ ok: false, name: err.name, message: err.message }));
});
