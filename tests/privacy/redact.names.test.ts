import { redact, redactText } from '../../src/privacy/redact';
import { texts } from '../helpers/harness';

/**
 * Names in every supported language: after a self-introduction, in a closing signature, and
 * ordinary sentences that look like one but name nobody. Each row is [typed, stored].
 */
type Case = [string, string];
interface Language {
  introductions: Case[];
  signatures: Case[];
  kept: string[];
}

const LANGUAGES: Record<string, Language> = {
  nb: {
    introductions: [
      ['Jeg heter Kari Nordmann og trenger bolig', 'Jeg heter <NAME> og trenger bolig'],
      ['hei jeg heter ahmed og bor på hospits', 'hei jeg heter <NAME> og bor på hospits'],
      ['Navnet mitt er Ingrid, 34 år', 'Navnet mitt er <NAME>, 34 år'],
      ['Hei! Jeg er Samira og har ventet lenge', 'Hei! Jeg er <NAME> og har ventet lenge'],
      ['sønnen min heter Adam og er 5', 'sønnen min heter <NAME> og er 5'],
    ],
    signatures: [
      ['Takk for hjelpen. Hilsen Kari', 'Takk for hjelpen. Hilsen <NAME>'],
      ['Mvh Abdi Hassan', 'Mvh <NAME>'],
      ['Med vennlig hilsen\nFatima Ali', 'Med vennlig hilsen\n<NAME>'],
    ],
    kept: [
      'Jeg er alene med 3 barn',
      'Jeg er Eritreisk og har bodd her i 6 år',
      'Dette er Bergen kommune sitt ansvar',
      'Hilsen en sliten mor',
      'jeg heter ikke det samme som i passet',
      'mvh',
    ],
  },
  nn: {
    introductions: [['Eg heiter Sigrid Aasen og treng bustad', 'Eg heiter <NAME> og treng bustad']],
    signatures: [['Venleg helsing Nils', 'Venleg helsing <NAME>']],
    kept: ['Eg er aleine med to born', 'Helsing frå ei mor som er sliten'],
  },
  se: {
    introductions: [['Mu namma lea Máret Sara', 'Mu namma lea <NAME>']],
    signatures: [['Dearvvuođat, Ánte', 'Dearvvuođat, <NAME>']],
    kept: ['Mun lean orron gaskaboddosaš viesus 4 mánu'],
  },
  en: {
    introductions: [
      ['my name is abdi hassan ali and i need help', 'my name is <NAME> and i need help'],
      ['Hi, I am Yonas, I wrote before', 'Hi, I am <NAME>, I wrote before'],
      ['My name is Will and I sleep in my car', 'My name is <NAME> and I sleep in my car'],
      ["I'm called Robel", "I'm called <NAME>"],
    ],
    signatures: [['Thank you. Best regards, Meron Tesfay', 'Thank you. Best regards, <NAME>']],
    kept: [
      'I am Somali and I have 3 children',
      'This is the third time I apply',
      'my name is not important',
      'my name was spelled wrong in the letter',
      'Kind regards',
    ],
  },
  pl: {
    introductions: [
      ['Nazywam się Anna Kowalska i szukam mieszkania', 'Nazywam się <NAME> i szukam mieszkania'],
      ['nazywam sie marek nowak, mieszkam w Oslo', 'nazywam sie <NAME>, mieszkam w Oslo'],
      ['Mam na imię Agnieszka', 'Mam na imię <NAME>'],
    ],
    signatures: [['Pozdrawiam, Katarzyna Wiśniewska', 'Pozdrawiam, <NAME>']],
    kept: ['jestem sama z dwójką dzieci', 'Jestem Polką i mieszkam tu 7 lat', 'Pozdrawiam'],
  },
  lt: {
    introductions: [['Mano vardas yra Rūta ir turiu 3 vaikus', 'Mano vardas yra <NAME> ir turiu 3 vaikus']],
    signatures: [['Pagarbiai, Vaida Kazlauskienė', 'Pagarbiai, <NAME>']],
    kept: ['esu viena su 3 vaikais', 'Pagarbiai'],
  },
  uk: {
    introductions: [['Мене звати Олена Шевченко, я з Харкова', 'Мене звати <NAME>, я з Харкова']],
    signatures: [['З повагою, Оксана Бондаренко', 'З повагою, <NAME>']],
    kept: ['я сама з двома дітьми', 'Я українка і маю статус колективного захисту'],
  },
  ru: {
    introductions: [
      ['Меня зовут Ольга Иванова', 'Меня зовут <NAME>'],
      ['Я Сергей, пишу второй раз', 'Я <NAME>, пишу второй раз'],
    ],
    signatures: [['С уважением, Наталья Смирнова', 'С уважением, <NAME>']],
    kept: ['я одна с 2 детьми', 'Я очень устала ждать'],
  },
  ar: {
    introductions: [
      ['اسمي أحمد محمد علي من سوريا', 'اسمي <NAME> من سوريا'],
      ['إسمي ليلى حسن وعندي ٣ أطفال', 'إسمي <NAME> وعندي ٣ أطفال'],
    ],
    signatures: [['شكرا لكم. مع تحياتي، يوسف', 'شكرا لكم. مع تحياتي، <NAME>']],
    kept: ['اسمي مكتوب خطأ في رسالة NAV', 'مع تحياتي'],
  },
  so: {
    introductions: [
      ['Magacaygu waa Faadumo Cali', 'Magacaygu waa <NAME>'],
      ['magacayga waa abdi waxaan u baahanahay guri', 'magacayga waa <NAME> waxaan u baahanahay guri'],
      ['Waxaan ahay Ayaan, hooyo 3 carruur ah', 'Waxaan ahay <NAME>, hooyo 3 carruur ah'],
    ],
    signatures: [['Walaalkiin Cumar', 'Walaalkiin <NAME>']],
    kept: ['waxaan ahay hooyo keligeed ah oo 4 carruur ah leh', 'Mahadsanid'],
  },
  ti: {
    introductions: [
      ['ስመይ ሳባ ተስፋይ እዩ', 'ስመይ <NAME> እዩ'],
      ['ስመይ ዮናስ ይበሃል ኣብ ኦስሎ እነብር', 'ስመይ <NAME> ይበሃል ኣብ ኦስሎ እነብር'],
    ],
    signatures: [['ምስ ሰላምታ ሰላም', 'ምስ ሰላምታ <NAME>']],
    kept: ['ኣነ ምስ 3 ቆልዑ በይነይ እየ', 'ምስ ሰላምታ'],
  },
  fa: {
    introductions: [['اسم من مریم رضایی است', 'اسم من <NAME> است']],
    signatures: [['با احترام زهرا احمدی', 'با احترام <NAME>']],
    kept: ['اسم من در نامه اشتباه نوشته شده بود', 'با احترام'],
  },
  prs: {
    introductions: [['نام من احمد شاه است', 'نام من <NAME> است']],
    signatures: [['با احترام فریده', 'با احترام <NAME>']],
    kept: ['مه با ۳ اولاد تنها استم'],
  },
  ps: {
    introductions: [['زما نوم احمد ولي دی او په اوسلو کې اوسیږم', 'زما نوم <NAME> دی او په اوسلو کې اوسیږم']],
    signatures: [['په درناوي، نجیب', 'په درناوي، <NAME>']],
    kept: ['زه له ۲ ماشومانو سره یوازې یم'],
  },
  ur: {
    introductions: [['میرا نام عائشہ خان ہے', 'میرا نام <NAME> ہے']],
    signatures: [['والسلام عمران', 'والسلام <NAME>']],
    kept: ['میں ۲ بچوں کے ساتھ اکیلی ہوں'],
  },
  ckb: {
    introductions: [['ناوی من شیلان و ٣ منداڵم هەیە', 'ناوی من <NAME> و ٣ منداڵم هەیە']],
    signatures: [['لەگەڵ ڕێزدا هێمن', 'لەگەڵ ڕێزدا <NAME>']],
    kept: ['من لەگەڵ ٣ منداڵ بە تەنها دەژیم'],
  },
  th: {
    introductions: [
      ['ผมชื่อสมชายครับ', 'ผมชื่อ<NAME>ครับ'],
      ['ฉันชื่อมาลี ใจดี ต้องการความช่วยเหลือ', 'ฉันชื่อ<NAME> ต้องการความช่วยเหลือ'],
    ],
    signatures: [['ด้วยความเคารพ สุดา', 'ด้วยความเคารพ <NAME>']],
    kept: ['ฉันอยู่คนเดียวกับลูก 2 คน', 'ด้วยความเคารพ'],
  },
};

test('every supported language has name cases here', () => {
  expect(Object.keys(LANGUAGES).sort()).toEqual(texts.locales.list.map((l) => l.tag).sort());
});

describe.each(Object.entries(LANGUAGES))('%s', (_tag, lang) => {
  it.each(lang.introductions)('replaces the name after a self-introduction in "%s"', (typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it.each(lang.signatures)('replaces the name in the closing signature of "%s"', (typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it.each(lang.kept)('keeps "%s", which names no one', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('thanks that close a message with a name', () => {
  it.each([
    ['Thanks, John Smith', 'Thanks, <NAME>'],
    ['We still have no flat.\n\nThanks,\nJohn Smith', 'We still have no flat.\n\nThanks,\n<NAME>'],
    ['Takk for hjelpen, Kari', 'Takk for hjelpen, <NAME>'],
    ['Tusen takk! Ola Nordmann', 'Tusen takk! <NAME>'],
    ['Mahadsanid Abdi Hassan', 'Mahadsanid <NAME>'],
    ['Dziękuję, Marek', 'Dziękuję, <NAME>'],
  ])('replaces the name in "%s"', (typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });
  it.each([
    'Thank you, everything is fine now',
    'Thanks to NAV I got a flat',
    'Thanks for the help from NAV',
    'Takk for hjelpen, NAV',
    'Tusen takk til Bergen kommune',
    'takk for hjelpen fra kommunen, nå har vi bolig',
  ])('keeps "%s"', (text) => {
    expect(redact(text)).toBe(text);
  });
  it('leaves a sign-off after thanks to the sign-off', () => {
    expect(redact('Thank you. Best regards, Kari')).toBe('Thank you. Best regards, <NAME>');
  });
});

describe('where a name stops', () => {
  it.each([
    ['at a comma', 'Jeg heter Kari Nordmann, og jeg bor i Bergen', 'Jeg heter <NAME>, og jeg bor i Bergen'],
    ['at a number', 'jeg heter abdi 34 år', 'jeg heter <NAME> 34 år'],
    ['at a line break', 'jeg heter kari\nog trenger hjelp', 'jeg heter <NAME>\nog trenger hjelp'],
    ['at a conjunction', 'my name is abdi and i need help', 'my name is <NAME> and i need help'],
    ['at the first lower-case word after a capitalised name', 'My name is Abdi need a flat', 'My name is <NAME> need a flat'],
    [
      'after three words, so a sentence typed without stop words is not eaten whole',
      'jeg heter kari anne lise trenger hjelp',
      'jeg heter <NAME> trenger hjelp',
    ],
    ['at the Persian copula است', 'نام من علی است و ۲ بچه دارم', 'نام من <NAME> است و ۲ بچه دارم'],
    ['at a Thai polite particle glued to the name', 'ดิฉันชื่อนภาค่ะ อยู่ออสโล', 'ดิฉันชื่อ<NAME>ค่ะ อยู่ออสโล'],
  ])('%s', (_where, typed, stored) => {
    expect(redact(typed)).toBe(stored);
  });

  it('keeps a particle inside a capitalised name and not at its end', () => {
    expect(redact('My name is Ahmed bin Salem, thanks')).toBe('My name is <NAME>, thanks');
    expect(redact('My name is Ahmed bin')).toBe('My name is <NAME> bin');
  });

  it('takes a signature only when the message ends with it', () => {
    expect(redact('Hilsen Kari')).toBe('Hilsen <NAME>');
    expect(redact('Hilsen Kari 🙏')).toBe('Hilsen <NAME> 🙏');
    expect(redact('Hilsen Kari og barna, vi venter fortsatt på svar fra kommunen i Bergen')).toBe(
      'Hilsen Kari og barna, vi venter fortsatt på svar fra kommunen i Bergen',
    );
  });

  it('counts a name once, as kind name', () => {
    expect(redactText('Jeg heter Kari Nordmann').kinds.name).toBe(1);
  });

  it('recognises an introduction typed without Polish diacritics or with Persian letters on an Arabic keyboard', () => {
    expect(redact('nazywam sie Anna')).toBe('nazywam sie <NAME>');
    expect(redact('اسم من علي است')).toBe('اسم من <NAME> است');
  });
});
