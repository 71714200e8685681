import { texts } from '../helpers/harness';

/**
 * The line shown under every free-text question (bot:question.text) tells the respondent, in their
 * language, to write neither names nor personal numbers: redaction is the safety net, not the
 * first defence. The words are listed here per locale, as the locale writes them (any one of the
 * forms counts), and compared in the locale's own fold.
 */
const WORDS: Record<string, { name: string[]; number: string[] }> = {
  nb: { name: ['navn'], number: ['nummer'] },
  nn: { name: ['namn'], number: ['nummer'] },
  se: { name: ['nam'], number: ['nummir'] },
  en: { name: ['name'], number: ['number'] },
  pl: { name: ['imion', 'nazwisk'], number: ['numer'] },
  lt: { name: ['vard'], number: ['numer'] },
  uk: { name: ['імен', "ім'я"], number: ['номер'] },
  ru: { name: ['имен', 'имя'], number: ['номер'] },
  so: { name: ['magac'], number: ['lambar'] },
  ti: { name: ['ኣስማት', 'ስም'], number: ['ቁጽር'] },
  ar: { name: ['أسماء', 'اسم'], number: ['أرقام', 'رقم'] },
  fa: { name: ['نام'], number: ['شماره'] },
  prs: { name: ['نام'], number: ['نمبر'] },
  ps: { name: ['نوم'], number: ['شمېر'] },
  ckb: { name: ['ناو'], number: ['ژمارە'] },
  ur: { name: ['نام'], number: ['نمبر'] },
  th: { name: ['ชื่อ'], number: ['หมายเลข', 'เลข', 'เบอร์'] },
};

const tags = texts.locales.list.map((l) => l.tag);

test('every locale has its words for "name" and "number" listed here', () => {
  expect(Object.keys(WORDS).sort()).toEqual([...tags].sort());
});

describe.each(tags)('%s: the line under a free-text question', (tag) => {
  const fold = texts.words.fold(tag);
  const line = fold(texts.t(tag, 'bot:question.text'));
  const has = (forms: string[]) => forms.some((f) => line.includes(fold(f)));

  it('asks not to write names', () => {
    expect({ line, name: has(WORDS[tag].name) }).toEqual({ line, name: true });
  });

  it('asks not to write personal numbers', () => {
    expect({ line, number: has(WORDS[tag].number) }).toEqual({ line, number: true });
  });

  it("is the locale's own text, not the English one", () => {
    if (tag === 'en') return;
    expect(texts.t(tag, 'bot:question.text')).not.toBe(texts.t('en', 'bot:question.text'));
  });
});
