import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ResponseFilter, SurveyStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { Accumulator, AccumulatorState, AnalysisRequest, AnalysisResult, analyze } from './analyze';
import { rangeKey } from './completedResponses';

/**
 * The analysis in worker threads, each counting one range of response ids on its own database
 * connection; the main thread only adds their counts up and protects the tables. Two reasons:
 * reading and counting a hundred thousand responses takes longer than an analyst should wait on
 * one core, and when the analyst API runs inside the bot, the bot's event loop must keep serving
 * respondents meanwhile.
 *
 * Runs in the calling thread instead when there is no compiled worker (tests run from TypeScript
 * sources) or only one thread is asked for.
 */
export async function analyzeInParallel(
  source: { store: SurveyStore; databaseUrl: string },
  def: SurveyDefinition,
  request: AnalysisRequest,
  threads: number,
): Promise<AnalysisResult> {
  const script = path.join(__dirname, 'analysisWorker.js');
  // Validates the request before any thread starts.
  const total = new Accumulator(def, request);
  if (threads < 2 || !fs.existsSync(script)) return analyze(source.store, def, request);
  const base: ResponseFilter = { surveyId: def.id, surveyVersion: def.version };
  const states = await Promise.all(
    idRanges(threads).map(([idFrom, idTo]) => {
      const filter = { ...base, idFrom, idTo };
      const range = rangeKey(source.databaseUrl, filter, def);
      // A range goes back to the worker that read it last, which keeps its completed responses.
      return runWorker(script, { databaseUrl: source.databaseUrl, survey: def, request, filter, range }, range);
    }),
  );
  for (const s of states) total.merge(s);
  return total.result();
}

/** Half-open ranges of random (UUID) ids, equal in expectation: "" to "8", "8" to the end. */
export function idRanges(threads: number): [string | undefined, string | undefined][] {
  const cuts = Array.from({ length: threads - 1 }, (_, i) => Math.round(((i + 1) * 16) / threads).toString(16));
  return Array.from({ length: threads }, (_, i) => [i === 0 ? undefined : cuts[i - 1], i === threads - 1 ? undefined : cuts[i]]);
}

/** How long a worker waits for the next job before it ends, and lets go of what it kept. */
const IDLE_MS = 10 * 60_000;

type Reply = { ok: true; state: AccumulatorState } | { ok: false; name: string; message: string };

/**
 * Workers kept between analyses: the dashboard asks for several tables in a row, a new thread
 * spends much of its first job loading and compiling the code, and a worker keeps the completed
 * responses it read (src/analysis/completedResponses.ts), so that its next job reads only what
 * changed. An idle worker holds no job and no connection, ends after IDLE_MS, and never keeps the
 * process alive.
 */
const idle: { worker: Worker; timer: NodeJS.Timeout; range: string }[] = [];

/** A new worker; one that fails or ends while idle leaves the pool, without an unhandled error. */
function spawn(script: string): Worker {
  const worker = new Worker(script);
  const leave = () => {
    const i = idle.findIndex((k) => k.worker === worker);
    if (i >= 0) {
      clearTimeout(idle[i].timer);
      idle.splice(i, 1);
    }
  };
  worker.on('error', leave);
  worker.on('exit', leave);
  return worker;
}

function runWorker(script: string, job: unknown, range: string): Promise<AccumulatorState> {
  const same = idle.findIndex((k) => k.range === range);
  const kept = same >= 0 ? idle.splice(same, 1)[0] : idle.shift();
  if (kept) clearTimeout(kept.timer);
  const worker = kept?.worker ?? spawn(script);
  worker.ref();
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: Reply) => {
      done();
      if (m.ok) resolve(m.state);
      else reject(Object.assign(new Error(m.message), { name: m.name }));
      worker.unref();
      const timer = setTimeout(() => void worker.terminate(), IDLE_MS);
      timer.unref();
      idle.push({ worker, timer, range });
    };
    const onError = (err: Error) => {
      done();
      void worker.terminate();
      reject(err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`analysis worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job);
  });
}
