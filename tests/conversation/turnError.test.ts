import { SurveyStore } from '../../src/store/store';
import { askedStep, createHarness, sqliteStore, startSurvey, texts } from '../helpers/harness';

/** A real store whose next `saveAnswer` fails, as a database outage would. */
async function flakyStore(): Promise<{ store: SurveyStore; failNext: () => void }> {
  const real = await sqliteStore();
  let fail = false;
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'saveAnswer' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        if (fail) {
          fail = false;
          throw Object.assign(new Error('SQLITE_BUSY: database is locked while writing "Ahmed, 010190 12345"'), { code: 'SQLITE_BUSY' });
        }
        return v.apply(target, args);
      };
    },
  }) as SurveyStore;
  return { store, failNext: () => (fail = true) };
}

test.each(['ar', 'nb'])('a failing turn apologises in %s, logs no text or ids, and the survey resumes where it was', async (lng) => {
  const { store, failNext } = await flakyStore();
  const h = await createHarness({ store });
  const r = h.respondent('user-Err0r-42');
  await startSurvey(r, lng);
  await r.say('1');
  failNext();
  const reply = await r.text('2');
  expect(reply).toBe(texts.t(lng, 'bot:error.sorry'));
  // Nothing was lost: the first answer is there, and the same question is asked again.
  const again = await r.text('2');
  expect(askedStep(lng, again)).toBe('help_areas');
  const [resp] = await store.listResponses();
  expect(resp.answers.map((a) => [a.questionId, a.value]).sort()).toEqual([
    ['needed_help', 'yes'],
    ['situation', 'rent_private'],
  ]);
  const log = h.logLines.join('\n');
  expect(log).toContain('"event":"turn_error"');
  expect(log).toContain('"code":"SQLITE_BUSY"');
  for (const secret of ['Ahmed', '010190', 'user-Err0r-42', 'database is locked']) expect(log).not.toContain(secret);
});
