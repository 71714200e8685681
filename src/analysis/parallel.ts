import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ResponseFilter, SurveyStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { Accumulator, AccumulatorState, AnalysisRequest, AnalysisResult, analyze } from './analyze';

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
  const states = await Promise.all(idRanges(threads).map(([idFrom, idTo]) => runWorker(script, { databaseUrl: source.databaseUrl, survey: def, request, filter: { ...base, idFrom, idTo } })));
  for (const s of states) total.merge(s);
  return total.result();
}

/** Half-open ranges of random (UUID) ids, equal in expectation: "" to "8", "8" to the end. */
export function idRanges(threads: number): [string | undefined, string | undefined][] {
  const cuts = Array.from({ length: threads - 1 }, (_, i) => Math.round(((i + 1) * 16) / threads).toString(16));
  return Array.from({ length: threads }, (_, i) => [i === 0 ? undefined : cuts[i - 1], i === threads - 1 ? undefined : cuts[i]]);
}

function runWorker(script: string, job: unknown): Promise<AccumulatorState> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.once('message', (m: { ok: true; state: AccumulatorState } | { ok: false; name: string; message: string }) => {
      if (m.ok) resolve(m.state);
      else reject(Object.assign(new Error(m.message), { name: m.name }));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`analysis worker exited with code ${code}`)));
  });
}
