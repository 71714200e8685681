import { countyOf, municipalityOf } from '../../src/privacy/counties';
import { DETECTION_FOLD_RULES, createFold, createLetterFold, sanitize } from '../../src/text/fold';

const latin = createFold({ diacritics: true });
const plain = createFold({ diacritics: false });

describe('the shared base of every fold', () => {
  test.each([
    ['Ｊａ', 'ja'], // full-width letters
    ['ﻧﻌﻢ', 'نعم'], // Arabic presentation forms
    ['نَعَم', 'نعم'], // optional vowel marks
    ['نـــعم', 'نعم'], // tatweel
    ['ja\u200B\u202E', 'ja'], // zero-width and bidi characters
    ['don’t know', 'don t know'], // curly apostrophe as the straight one, then as a word break
    ['  Ja,  takk!  ', 'ja takk'],
  ])('"%s" folds to "%s"', (typed, folded) => {
    expect(plain(typed)).toBe(folded);
  });

  test.each([
    ['٣', '3'],
    ['۳', '3'],
    ['๓', '3'],
    ['३', '3'],
    ['৩', '3'],
    ['၃', '3'],
    ['３', '3'],
    ['𝟑', '3'],
  ])('reads the digit %s as %s: every Unicode decimal digit, one fold', (digit, ascii) => {
    expect(plain(digit)).toBe(ascii);
  });

  test('keeps a message of punctuation only, so "?" can be a keyword', () => {
    expect(plain(' ? ')).toBe('?');
    expect(plain('-')).toBe('-');
  });

  test('sanitize keeps what a reader sees and removes only the invisible', () => {
    expect(sanitize('Raskere\u0000 svar\u202E fra NAV\r\n')).toBe('Raskere svar fra NAV');
  });
});

describe('what a locale declares', () => {
  test('Latin diacritics are folded only where declared, and only on Latin letters', () => {
    expect(latin('Dzień dobry, Bærum, Đáhkká, Straße')).toBe('dzien dobry baerum dahkka strasse');
    expect(plain('Dzień')).toBe('dzień');
    expect(latin('ที่ ไม่รู้')).toBe('ที่ ไม่รู้');
  });

  test('ه + ZWNJ, how a Persian keyboard writes Sorani ە, is ە in the Sorani fold', () => {
    const sorani = createFold({ diacritics: false, letters: ['heh', 'sorani'] });
    expect(sorani('به\u200cڵێ')).toBe(sorani('بەڵێ'));
    expect(sorani('بەلێ')).toBe(sorani('بەڵێ'));
  });

  test('letter pairs apply only to the locale that declares them: Pashto keeps ي and ی apart', () => {
    const persian = createFold({ diacritics: false, letters: ['yeh'] });
    const pashto = createFold({ diacritics: false, letters: ['final_yeh', 'kaf'] });
    expect(persian('بلي')).toBe(persian('بلی'));
    expect(pashto('ي')).not.toBe(pashto('ی'));
  });

  test('the detector fold keeps Arabic and Persian yeh and kaf apart: they are evidence of the keyboard', () => {
    const detection = createLetterFold(DETECTION_FOLD_RULES);
    expect(detection('يك')).not.toBe(detection('یک'));
    expect(detection('أحتاج')).toBe(detection('احتاج'));
    expect(detection("i'm")).toBe("i'm");
  });
});

describe('municipality names through the shared fold', () => {
  test.each([
    ['Bærum', 'Akershus'],
    ['baerum kommune', 'Akershus'],
    ['Bärum', 'Akershus'],
    ['TROMSØ', 'Troms'],
    ['Tromso', 'Troms'],
    ['Aalesund', 'Møre og Romsdal'],
    ['sor-varanger', 'Finnmark'],
    ['Kárášjohka', 'Finnmark'],
    ['Oslo.', 'Oslo'],
  ])('"%s" is in %s', (typed, county) => {
    expect(countyOf(typed)).toBe(county);
  });

  test('gives the official spelling of a name typed on a foreign keyboard', () => {
    expect(municipalityOf('aalesund kommune')).toBe('Ålesund');
  });
});
