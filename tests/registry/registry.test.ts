import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadLocales } from '../../src/language/i18n';
import { SurveyCatalog } from '../../src/registry/surveyCatalog';
import { setText } from '../../src/registry/surveyPackage';
import { RegistryError, SurveyRegistry } from '../../src/registry/surveyRegistry';
import { SurveyVersionExistsError } from '../../src/store/registryStore';
import { PgStore } from '../../src/store/pgStore';
import { SqliteStore } from '../../src/store/sqliteStore';
import { SurveyStore } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { freshDatabase, postgresReachable, POSTGRES_SKIP_MESSAGE } from '../helpers/postgres';

/** The survey registry on both databases: versions, their states, and what may never change. */
const locales = loadLocales();

interface Backend {
  name: 'sqlite' | 'postgres';
  create(): Promise<{ store: SurveyStore; another(): SurveyStore; raw(sql: string): Promise<void>; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async create() {
      const dir = tempDir();
      const url = `file:${path.join(dir, 'survey.db')}`;
      const stores: SurveyStore[] = [new SqliteStore(url)];
      await stores[0].migrate();
      return {
        store: stores[0],
        another: () => {
          const s = new SqliteStore(url);
          stores.push(s);
          return s;
        },
        raw: async (sql) => {
          const db = new Database(path.join(dir, 'survey.db'));
          try {
            // The triggers must be there for this check to mean anything.
            expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'SurveyVersion_%'").all()).toHaveLength(2);
            db.prepare(sql).run();
          } catch (err) {
            // better-sqlite3's native addon keeps the SqliteError class of the first test file that
            // loaded it in this worker; to a later file's realm that is no Error, and Jest reports
            // "did not throw". The database's own message is what is checked.
            throw new Error((err as { message?: string }).message ?? String(err), { cause: err });
          } finally {
            db.close();
          }
        },
        cleanup: async () => {
          for (const s of stores) await s.close();
        },
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const db = await freshDatabase('registry');
      const stores: SurveyStore[] = [new PgStore(db.url)];
      await stores[0].migrate();
      return {
        store: stores[0],
        another: () => {
          const s = new PgStore(db.url);
          stores.push(s);
          return s;
        },
        raw: async (sql) => {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          try {
            await client.query(sql);
          } finally {
            await client.end();
          }
        },
        cleanup: async () => {
          for (const s of stores) await s.close();
          await db.drop();
        },
      };
    },
  },
];

describe.each(backends)('the survey registry on $name', (backend) => {
  let skip = false;
  let ctx: Awaited<ReturnType<Backend['create']>>;
  let registry: SurveyRegistry;
  beforeAll(async () => {
    if (backend.name === 'postgres' && !(await postgresReachable())) {
      skip = true;
      console.warn(POSTGRES_SKIP_MESSAGE);
    }
  });
  beforeEach(async () => {
    if (skip) return;
    ctx = await backend.create();
    registry = new SurveyRegistry(ctx.store, locales);
  });
  afterEach(async () => {
    if (!skip) await ctx.cleanup();
  });
  const it = (name: string, fn: () => Promise<void>) => test(name, async () => (skip ? undefined : fn()), 30000);

  /** housing-help v1 with one question text changed in English and in Somali. */
  async function changed(): Promise<Parameters<SurveyRegistry['importPackage']>[0]> {
    const v1 = await registry.read('housing-help', 1);
    const texts = structuredClone(v1.texts);
    setText(texts.en, 'questions.children.text', 'Do children under 18 live with you?');
    setText(texts.so, 'questions.children.text', 'Carruur ka yar 18 ma kula nool yihiin?');
    return { definition: v1.definition, texts, provenance: v1.provenance };
  }

  it('the shipped surveys are registered once, published, even when several processes start at once', async () => {
    await Promise.all([
      registry.syncBundled(),
      new SurveyRegistry(ctx.another(), locales).syncBundled(),
      new SurveyRegistry(ctx.another(), locales).syncBundled(),
    ]);
    const list = await registry.list();
    expect(list.map((s) => [s.id, s.versions.map((v) => `${v.version}:${v.state}:${v.source}`), s.current])).toEqual([
      ['housing-help', ['1:published:bundled'], 1],
      ['resident-participation', ['1:published:bundled'], 1],
    ]);
    expect(await registry.syncBundled()).toEqual({ registered: [] });
  });

  it('an import is a new draft version; publishing makes it current; its translations whose source changed are stale', async () => {
    await registry.syncBundled();
    const pkg = await changed();
    expect(await registry.importPackage(pkg)).toEqual({ version: 2, created: true });
    expect(await registry.importPackage(pkg)).toEqual({ version: 2, created: false });
    expect((await registry.list())[0]).toMatchObject({ current: 1 });
    expect(await registry.publish('housing-help')).toBe(2);
    expect((await registry.list())[0]).toMatchObject({ current: 2 });
    const v2 = await registry.read('housing-help', 2);
    // English (the source) changed: ti kept its old text, now marked for review; so was rewritten with it.
    expect(v2.provenance.ti['questions.children.text']).toMatchObject({ status: 'stale' });
    expect(v2.provenance.so['questions.children.text']).not.toMatchObject({ status: 'stale' });
    expect(v2.provenance.ti['questions.needed_help.text']).toEqual((await registry.read('housing-help', 1)).provenance.ti['questions.needed_help.text']);
  });

  it('a published version never changes, and its state only moves on', async () => {
    await registry.syncBundled();
    await expect(registry.publish('housing-help', 1)).rejects.toThrow(RegistryError);
    await expect(ctx.raw(`UPDATE "SurveyVersion" SET "texts" = '{}' WHERE "surveyId" = 'housing-help' AND "version" = 1`)).rejects.toThrow(/final/);
    await expect(ctx.raw(`UPDATE "SurveyVersion" SET "state" = 'draft' WHERE "surveyId" = 'housing-help'`)).rejects.toThrow(/final/);
    await expect(ctx.raw(`DELETE FROM "SurveyVersion" WHERE "surveyId" = 'housing-help'`)).rejects.toThrow(/final/);
    const v1 = await registry.read('housing-help', 1);
    await expect(ctx.store.insertSurveyVersion({ ...v1.info, definition: v1.definition, texts: v1.texts, provenance: v1.provenance })).rejects.toThrow(
      SurveyVersionExistsError,
    );
    expect(await registry.close('housing-help')).toEqual([1]);
    await expect(ctx.raw(`UPDATE "SurveyVersion" SET "state" = 'published' WHERE "surveyId" = 'housing-help'`)).rejects.toThrow(/final/);
    expect((await registry.list())[0]).toMatchObject({ current: undefined, versions: [{ state: 'closed' }] });
  });

  it('a catalog in another process sees a version published here, and keeps each conversation on its own', async () => {
    await registry.syncBundled();
    const other = new SurveyCatalog(ctx.another(), locales, { defaultLocale: 'nb', defaultSurvey: 'housing-help', refreshMs: 0 });
    expect(await other.start()).toEqual({ id: 'housing-help', version: 1, closed: false });
    await registry.importPackage(await changed());
    expect(await other.start()).toMatchObject({ version: 1 });
    await registry.publish('housing-help', 2);
    expect(await other.start()).toMatchObject({ version: 2 });
    expect(await other.choice('housing-help', 1)).toEqual({ id: 'housing-help', version: 1, closed: false });
    expect((await other.textsFor('housing-help', 2)).s('so', 'questions.children.text')).toBe('Carruur ka yar 18 ma kula nool yihiin?');
    expect((await other.textsFor('housing-help', 1)).s('so', 'questions.children.text')).not.toBe('Carruur ka yar 18 ma kula nool yihiin?');
    await registry.close('housing-help');
    expect(await other.choice('housing-help', 1)).toMatchObject({ closed: true });
    expect(await other.start('housing-help')).toMatchObject({ closed: true });
  });

  it('SMS numbers point at surveys, and can be pointed elsewhere or removed', async () => {
    await ctx.store.setSmsRoute('+4759440001', 'resident-participation');
    await ctx.store.setSmsRoute('+4759440002', 'housing-help');
    await ctx.store.setSmsRoute('+4759440002', 'resident-participation');
    await ctx.store.setSmsRoute('+4759440001', undefined);
    expect(await ctx.store.listSmsRoutes()).toEqual([{ number: '+4759440002', surveyId: 'resident-participation' }]);
  });
});
