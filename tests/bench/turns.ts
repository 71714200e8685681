/**
 * Turn throughput: whole surveys through the real bot and dialogs, on the SQLite store (file,
 * WAL, every answer and every state write on disk) against a baseline in the same run that keeps
 * conversation state in memory (botbuilder's MemoryStorage) and answers in SQLite. The ratio
 * says what durable state costs per turn. Run: npm run bench:turns [-- respondents]
 */
import { MemoryStorage } from 'botbuilder';
import { createHarness, sqliteStore, startSurvey } from '../helpers/harness';
import { StoreStorage } from '../../src/bot/storeStorage';

const ANSWERS = ['1', '4', '1, 2', '1', '1', '3', '1', '3', '4', '5', '1', '2', 'nei', '2', '7', '2', 'Bergen', 'Mer hjelp på eget språk'];

async function run(label: string, durableState: boolean, respondents: number): Promise<number> {
  const store = await sqliteStore();
  const storage = durableState ? new StoreStorage(store, 7 * 86400_000) : new MemoryStorage();
  const h = await createHarness({ store, storage });
  const started = process.hrtime.bigint();
  let turns = 0;
  for (let i = 0; i < respondents; i++) {
    const r = h.respondent(`bench-${i}`);
    await startSurvey(r, 'nb');
    turns += 3;
    for (const a of ANSWERS) {
      await r.say(a);
      turns += 1;
    }
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const completed = (await store.listResponses({ status: 'completed' })).length;
  if (completed !== respondents) throw new Error(`${label}: ${completed} of ${respondents} surveys completed`);
  console.log(`${label.padEnd(34)} ${turns} turns in ${ms.toFixed(0)} ms = ${(ms / turns).toFixed(2)} ms/turn`);
  await store.close();
  return ms / turns;
}

async function main() {
  const n = Number(process.argv[2] ?? 40);
  await run('warm-up', false, 3);
  const baseline = await run('baseline: state in memory', false, n);
  const durable = await run('SQLite: state in the database', true, n);
  console.log(`ratio durable/baseline: ${(durable / baseline).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
