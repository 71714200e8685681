import { Question } from '../../src/survey/definition';
import { Vocabulary, VocabularyWords, compileVocabulary, recognize } from '../../src/survey/recognize';
import { FoldRules, createFold, sanitize } from '../../src/text/fold';

const LATIN: FoldRules = { diacritics: true };
const vocab = (options: Record<string, string[]>, extra: Partial<VocabularyWords> = {}, rules: FoldRules = LATIN): Vocabulary =>
  compileVocabulary({ options, skip: ['skip', 'hopp over', '-'], and: ['og', 'and'], ...extra }, createFold(rules));
const single: Question = { id: 'situation', type: 'single', optional: false, options: ['owner', 'rent_private', 'temporary', 'other'] };
const situationWords = vocab({
  owner: ['Jeg eier boligen', 'eier'],
  rent_private: ['Jeg leier av en privat utleier', 'leier privat'],
  temporary: ['Midlertidig bolig (hospits, krisesenter, camping)', 'midlertidig', 'hospits'],
  other: ['Annet'],
});
const yesNo: Question = { id: 'needed_help', type: 'yes_no', optional: false, dontKnow: true };
const multi: Question = { id: 'barriers', type: 'multi', optional: false, options: ['language_barrier', 'forms', 'waited', 'none'], exclusive: ['none'] };
const multiWords = vocab({ language_barrier: ['Språk'], forms: ['Skjemaene var for vanskelige', 'skjema'], waited: ['Ventet for lenge'], none: ['Ingenting'] });

describe('option numbers in every digit form', () => {
  test.each([
    ['3', 'temporary'],
    [' 3. ', 'temporary'],
    ['٣', 'temporary'], // Arabic-Indic
    ['۳', 'temporary'], // Persian
    ['３', 'temporary'], // full-width, from CJK keyboards
    ['๓', 'temporary'], // Thai
    ['३', 'temporary'], // Devanagari
    ['৩', 'temporary'], // Bengali
    ['၃', 'temporary'], // Myanmar
    ['𝟑', 'temporary'], // mathematical bold, outside the Basic Multilingual Plane
    ['1', 'owner'],
  ])('"%s" selects %s', (input, expected) => {
    expect(recognize(single, input, situationWords)).toEqual({ ok: true, value: expected });
  });

  test('a number that is not an option is out of range', () => {
    expect(recognize(single, '9', situationWords)).toEqual({ ok: false, reason: 'out_of_range' });
    expect(recognize(single, '0', situationWords)).toEqual({ ok: false, reason: 'out_of_range' });
  });
});

describe('labels and synonyms', () => {
  test.each([
    ['Midlertidig bolig (hospits, krisesenter, camping)', 'temporary'],
    ['HOSPITS', 'temporary'],
    ['eier', 'owner'],
    ['Annet!', 'other'],
    ['3. Midlertidig bolig (hospits, krisesenter, camping)', 'temporary'], // a line copied from the list
  ])('"%s" selects %s', (input, expected) => {
    expect(recognize(single, input, situationWords)).toEqual({ ok: true, value: expected });
  });

  test('an option found inside a longer message is only a reading to confirm', () => {
    expect(recognize(single, 'jeg bor på hospits nå', situationWords)).toEqual({ ok: false, reason: 'confirm', value: 'temporary', negated: false });
  });

  test('an option next to a negation word is a reading to confirm, marked as negated', () => {
    const words = vocab(
      {
        ...Object.fromEntries(
          Object.entries({
            owner: ['Jeg eier boligen', 'eier'],
            rent_private: ['Jeg leier av en privat utleier', 'leier privat'],
            temporary: ['Midlertidig', 'hospits'],
            other: ['Annet'],
          }),
        ),
      },
      { negation: ['ikke', 'uten'] },
    );
    expect(recognize(single, 'ikke hospits', words)).toEqual({ ok: false, reason: 'confirm', value: 'temporary', negated: true });
    expect(recognize(single, 'hospits uten', words)).toEqual({ ok: false, reason: 'confirm', value: 'temporary', negated: true });
  });

  test('an option the respondent negated gives way to one they did not', () => {
    const words = vocab(
      {
        owner: ['Jeg eier boligen', 'eier'],
        rent_private: ['Jeg leier av en privat utleier', 'leier privat'],
        temporary: ['Midlertidig', 'hospits'],
        other: ['Annet'],
      },
      { negation: ['ikke'] },
    );
    expect(recognize(single, 'eier ikke, leier privat', words)).toEqual({ ok: false, reason: 'confirm', value: 'rent_private', negated: false });
  });

  test('a longer option phrase wins over a shorter one inside it, negation and all ("hoy la\'aan" is not "hoy")', () => {
    const words = vocab({ temporary: ['Guri ku meel gaar ah', 'hoy'], no_place: ['Meel aan seexdo ma haysto', "hoy la'aan"] }, { negation: ["la'aan", 'ma'] });
    const q: Question = { id: 'situation', type: 'single', optional: false, options: ['temporary', 'no_place'] };
    expect(recognize(q, "hoy la'aan", words)).toEqual({ ok: true, value: 'no_place' });
    expect(recognize(q, "waxaan ahay hoy la'aan", words)).toEqual({ ok: false, reason: 'confirm', value: 'no_place', negated: false });
  });

  test('words of one option read from their stems in a sentence are a reading to confirm', () => {
    expect(recognize(single, 'vi leide privat rom', situationWords)).toEqual({ ok: false, reason: 'confirm', value: 'rent_private', negated: false });
  });

  test('a word shared by two options is no reading at all', () => {
    const words = vocab({ owner: ['Jeg eier boligen'], rent_private: ['Jeg leier privat bolig'], temporary: ['Midlertidig'], other: ['Annet'] });
    expect(recognize(single, 'boligen min', words)).toEqual({ ok: false, reason: 'no_match' });
  });

  test('in a script without spaces, options are found inside the letters, and a negation before one is seen', () => {
    const words = vocab({ yes: ['ใช่', 'มี'], no: ['ไม่', 'ไม่มี'], dont_know: ['ไม่รู้'] }, { negation: ['ไม่'], spaced: false });
    expect(recognize(yesNo, 'ไม่มีค่ะ', words)).toEqual({ ok: false, reason: 'confirm', value: 'no', negated: false });
    expect(recognize(yesNo, 'ไม่ รู้', words)).toEqual({ ok: true, value: 'dont_know' });
  });

  test('a phrase naming two options is ambiguous, not guessed', () => {
    expect(recognize(single, 'eier eller hospits', situationWords)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  test('a word two options share is ambiguous', () => {
    const shared = vocab({ owner: ['Eier', 'bolig'], rent_private: ['Leier', 'bolig'], temporary: ['Midlertidig'], other: ['Annet'] });
    expect(recognize(single, 'bolig', shared)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  test('a phrase inside a longer matched phrase belongs to the longer one ("nie" in "nie wiem")', () => {
    const pl = vocab({ yes: ['Tak'], no: ['Nie'], dont_know: ['Nie wiem'] });
    expect(recognize(yesNo, 'chyba nie wiem', pl)).toEqual({ ok: false, reason: 'confirm', value: 'dont_know', negated: false });
    expect(recognize(yesNo, 'nie, nie wiem', pl)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  test('folds diacritics for Latin-script languages ("sprak" for "Språk")', () => {
    expect(recognize(multi, 'sprak', multiWords)).toEqual({ ok: true, value: ['language_barrier'] });
  });

  test('folds only the marks of Latin letters, never Thai tone or vowel marks', () => {
    expect(createFold(LATIN)('ที่ Språk')).toBe('ที่ sprak');
  });

  test("answers yes/no questions with the locale's words", () => {
    const words = vocab({ yes: ['Tak', 'tak', 'no jasne'], no: ['Nie'], dont_know: ['Nie wiem'] });
    expect(recognize(yesNo, 'tak', words)).toEqual({ ok: true, value: 'yes' });
    expect(recognize(yesNo, 'Nie wiem', words)).toEqual({ ok: true, value: 'dont_know' });
    expect(recognize(yesNo, 'nie', words)).toEqual({ ok: true, value: 'no' });
  });

  test('treats Arabic yeh as Persian yeh where the locale declares it', () => {
    const persian: FoldRules = { diacritics: false, letters: ['yeh', 'kaf'] };
    const words = vocab({ yes: ['بلی'], no: ['نه'], dont_know: ['نمی‌دانم'] }, {}, persian);
    expect(recognize(yesNo, 'بلي', words)).toEqual({ ok: true, value: 'yes' }); // Arabic yeh U+064A
    expect(recognize(yesNo, 'نمیدانم', words)).toEqual({ ok: true, value: 'dont_know' }); // typed without ZWNJ
  });
});

describe('multiple choice', () => {
  test.each([
    ['1, 3', ['language_barrier', 'waited']],
    ['3 1', ['language_barrier', 'waited']],
    ['١، ٢', ['language_barrier', 'forms']],
    ['skjema og språk', ['language_barrier', 'forms']],
    ['2, 2', ['forms']],
    ['Skjemaene var for vanskelige', ['forms']],
  ])('"%s" selects %j', (input, expected) => {
    expect(recognize(multi, input, multiWords)).toEqual({ ok: true, value: expected });
  });

  test('joins choices with the locale\'s word for "and" (Arabic و)', () => {
    expect(recognize(multi, '١ و ٣', { ...multiWords, and: ['و'] })).toEqual({ ok: true, value: ['language_barrier', 'waited'] });
  });

  test('reads Tigrinya "1ን 3ን" (and as a suffix) and the Ethiopic comma', () => {
    expect(recognize(multi, '1ን 3ን', multiWords)).toEqual({ ok: true, value: ['language_barrier', 'waited'] });
    expect(recognize(multi, '1፣ 2', multiWords)).toEqual({ ok: true, value: ['language_barrier', 'forms'] });
  });

  test('an exclusive option cannot be combined with others', () => {
    expect(recognize(multi, '1, 4', multiWords)).toEqual({ ok: false, reason: 'exclusive' });
    expect(recognize(multi, '4', multiWords)).toEqual({ ok: true, value: ['none'] });
  });

  test('a part that names two options is read as both, to confirm, in a question that takes several', () => {
    const overlapping = vocab({
      language_barrier: ['Språk', 'skjema på norsk'],
      forms: ['Skjemaene var for vanskelige', 'skjema'],
      waited: ['Ventet for lenge'],
      none: ['Ingenting'],
    });
    expect(recognize(multi, '3, skjema norsk språk', overlapping)).toEqual({
      ok: false,
      reason: 'confirm',
      value: ['language_barrier', 'forms', 'waited'],
      negated: false,
    });
  });

  test('an option found in a sentence with a part that is none is a reading to confirm', () => {
    expect(recognize(multi, 'mest skjema, takk', multiWords)).toEqual({ ok: false, reason: 'confirm', value: ['forms'], negated: false });
  });

  test('one unknown part rejects the whole answer rather than storing half of it', () => {
    expect(recognize(multi, '1, 7', multiWords)).toEqual({ ok: false, reason: 'out_of_range' });
    expect(recognize(multi, '1, blah', multiWords)).toEqual({ ok: false, reason: 'no_match' });
  });
});

describe('scales and numbers', () => {
  const scale: Question = { id: 'respect', type: 'scale', optional: false, min: 1, max: 5 };
  const years: Question = { id: 'years_in_norway', type: 'number', optional: false, min: 0, max: 80, bands: [0, 2, 5, 10] };
  test.each(['۴', '٤', '๔', '४', '４'])('reads the scale point %s as 4', (digit) => {
    expect(recognize(scale, digit, vocab({}))).toEqual({ ok: true, value: 4 });
  });
  test('reads years typed in Thai digits', () => {
    expect(recognize(years, '๑๒ ปี', vocab({}))).toEqual({ ok: true, value: '10+' });
  });
  test('rejects a scale point outside the scale', () => {
    expect(recognize(scale, '6', vocab({}))).toEqual({ ok: false, reason: 'out_of_range' });
  });
  test('finds the one number in "7 år" and stores its band', () => {
    expect(recognize(years, '7 år', vocab({}))).toEqual({ ok: true, value: '5-9' });
  });
  test('a number beside a negation is a reading to confirm, shown as the number typed', () => {
    expect(recognize(years, 'ikke 7 år', vocab({}, { negation: ['ikke'] }))).toEqual({ ok: false, reason: 'confirm', value: '5-9', number: 7, negated: true });
  });
  test('rejects a number above the bound', () => {
    expect(recognize(years, '120', vocab({}))).toEqual({ ok: false, reason: 'out_of_range' });
  });
  test('rejects an answer with two numbers, since it cannot tell which one is meant (asked again)', () => {
    expect(recognize(years, '5 or 6', vocab({}))).toEqual({ ok: false, reason: 'no_match' });
  });
  test('rejects words where a number is asked', () => {
    expect(recognize(years, 'many', vocab({}))).toEqual({ ok: false, reason: 'no_match' });
  });
});

describe('free text and bad input', () => {
  const text: Question = { id: 'what_helped', type: 'text', optional: true, maxLength: 1000 };
  const required: Question = { id: 'x', type: 'text', optional: false, maxLength: 20 };
  test('keeps free text as typed, minus control characters', () => {
    expect(recognize(text, 'Raskere\u0000 svar\u202E fra NAV\r\n', vocab({}))).toEqual({ ok: true, value: 'Raskere svar fra NAV' });
  });
  test('the skip word skips an optional question', () => {
    expect(recognize(text, 'Hopp over', vocab({}))).toEqual({ ok: true, value: null });
  });
  test('the skip word does not skip a required question', () => {
    expect(recognize(required, 'skip', vocab({}))).toEqual({ ok: false, reason: 'not_optional' });
  });
  test('a text longer than allowed is refused, not cut', () => {
    expect(recognize(required, 'x'.repeat(21), vocab({}))).toEqual({ ok: false, reason: 'too_long' });
  });
  test('an empty or invisible-only message is empty', () => {
    expect(recognize(single, '   ', situationWords)).toEqual({ ok: false, reason: 'empty' });
    expect(recognize(single, '\u200B\u0007', situationWords)).toEqual({ ok: false, reason: 'empty' });
  });
  test('a 10 kB message to a choice question is refused without matching it', () => {
    expect(recognize(single, 'hospits '.repeat(1300), situationWords)).toEqual({ ok: false, reason: 'too_long' });
  });
  test('gibberish is no match', () => {
    expect(recognize(single, 'qwzx!!', situationWords)).toEqual({ ok: false, reason: 'no_match' });
  });
});

test('sanitize turns tabs and line breaks into single spaces', () => {
  expect(sanitize('  a\tb\n\nc  ')).toBe('a b c');
});
