import { SurveyStore } from '../../src/store/store';
import { askedStep, createHarness, sqliteStore, startSurvey, texts } from '../helpers/harness';

/** A real store whose next turn write fails with `error`, as a database outage or a bug would. */
async function flakyStore(): Promise<{ store: SurveyStore; failNext: (error: Error) => void }> {
  const real = await sqliteStore();
  let failure: Error | undefined;
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'commitTurn' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        if (failure) {
          const f = failure;
          failure = undefined;
          throw f;
        }
        return v.apply(target, args);
      };
    },
  }) as SurveyStore;
  return { store, failNext: (error) => (failure = error) };
}

const busy = () => Object.assign(new Error('SQLITE_BUSY: database is locked while writing "Ahmed, 010190 12345"'), { code: 'SQLITE_BUSY' });
const bug = () => Object.assign(new TypeError('Cannot read properties of undefined (reading "Ahmed, 010190 12345")'));

test.each([
  ['ar', busy, 'bot:error.unavailable', 'SQLITE_BUSY'],
  ['nb', busy, 'bot:error.unavailable', 'SQLITE_BUSY'],
  ['nb', bug, 'bot:error.sorry', 'TypeError'],
])(
  'a failing turn apologises in %s (%p), writes nothing of itself, logs no text or ids, and the survey resumes where it was',
  async (lng, error, message, logged) => {
    const { store, failNext } = await flakyStore();
    const h = await createHarness({ store });
    const r = h.respondent('user-Err0r-42');
    await startSurvey(r, lng);
    await r.say('1');
    failNext(error());
    const reply = await r.text('2');
    // A database that cannot take the turn: "try again shortly"; anything else: "something went wrong".
    expect(reply).toBe(texts.t(lng, message));
    // Nothing was lost, and nothing of the failed turn was kept: the same question is asked again.
    const again = await r.text('2');
    expect(askedStep(lng, again)).toBe('help_areas');
    const [resp] = await store.listResponses();
    expect(resp.answers.map((a) => [a.questionId, a.value]).sort()).toEqual([
      ['needed_help', 'yes'],
      ['situation', 'rent_private'],
    ]);
    const log = h.logLines.join('\n');
    expect(log).toContain('"event":"turn_error"');
    expect(log).toContain(logged);
    for (const secret of ['Ahmed', '010190', 'user-Err0r-42', 'database is locked', 'Cannot read']) expect(log).not.toContain(secret);
  },
);
