import { PassThrough, Readable, Writable } from 'stream';
import fc from 'fast-check';
import { hasValidCheckDigits, isDateLike, isValidPesel, PLACEHOLDER, redact } from '../../src/privacy/redact';
import { redactCommand } from '../../src/privacy/redactCommand';

// Valid numbers computed with the published mod-11 weights; none belongs to a real person as far
// as anyone can know, and they are only ever used here.
const FNR = '01019012480'; // 01.01.1990
const D_NUMBER = '41019012393'; // day + 40
const H_NUMBER = '01419012382'; // month + 40
const FH_NUMBER = fnrWithCheck('811234567'); // "felles hjelpenummer": valid check, not date-like
const PESEL = '05251412343'; // 14 May 2005; year-first, so not a Norwegian date

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const toScript = (s: string, digits: string) => s.replace(/\d/g, (d) => digits[Number(d)]);

function fnrWithCheck(nine: string): string {
  const d = [...nine].map(Number);
  const check = (w: number[]) => (11 - (w.reduce((s, x, i) => s + x * d[i], 0) % 11)) % 11;
  const k1 = check([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  d.push(k1);
  const k2 = check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  if (k1 === 10 || k2 === 10) throw new Error(`${nine} has no valid check digits; pick another individual number`);
  return nine + k1 + k2;
}

describe('check-digit helpers', () => {
  it('accepts fødselsnummer, D- and H-numbers with valid mod-11 check digits', () => {
    for (const n of [FNR, D_NUMBER, H_NUMBER, FH_NUMBER]) expect(hasValidCheckDigits(n)).toBe(true);
  });

  it('rejects a number whose check digits are off by one', () => {
    expect(hasValidCheckDigits('01019012481')).toBe(false);
    expect(hasValidCheckDigits('0101901248')).toBe(false);
  });

  it('reads D- and H-number dates as date-like, but not a felles hjelpenummer', () => {
    expect(isDateLike(D_NUMBER)).toBe(true);
    expect(isDateLike(H_NUMBER)).toBe(true);
    expect(isDateLike(FH_NUMBER)).toBe(false);
  });

  it('validates a PESEL by its check digit and date', () => {
    expect(isValidPesel(PESEL)).toBe(true);
    expect(isValidPesel('05251412344')).toBe(false);
    expect(isValidPesel('05331412340')).toBe(false); // month 13
  });
});

describe('redact: identity numbers', () => {
  it.each([
    ['a fødselsnummer typed without spaces', `Fødselsnummeret mitt er ${FNR}.`, 'Fødselsnummeret mitt er <ID>.'],
    ['a fødselsnummer with a space after the date', 'Fnr: 010190 12480', 'Fnr: <ID>'],
    ['a fødselsnummer with dots in the date and a space in the individual number', 'Nr 01.01.90 124 80 takk', 'Nr <ID> takk'],
    ['a fødselsnummer with a hyphen after the date', 'personnummer 010190-12480!', 'personnummer <ID>!'],
    ['a D-number typed with spaces', 'D-nummer: 410190 123 93', 'D-nummer: <ID>'],
    ['an H-number', `Hjelpenummer ${H_NUMBER}`, 'Hjelpenummer <ID>'],
    ['a felles hjelpenummer with a valid check but no date', `Nummer ${FH_NUMBER} fra NAV`, 'Nummer <ID> fra NAV'],
    ['a date-like number whose check fails, as from 2032', 'fnr 15033212345', 'fnr <ID>'],
    ['a date-like D-number whose check fails', 'Mitt D-nr er 710599 99999', 'Mitt D-nr er <ID>'],
  ])('redacts %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('redacts a PESEL in a Polish sentence', () => {
    expect(redact(`Mój PESEL to ${PESEL}, proszę go nie zapisywać.`)).toBe('Mój PESEL to <ID>, proszę go nie zapisywać.');
  });

  it('redacts a fødselsnummer written in Arabic-Indic digits inside an Arabic sentence', () => {
    expect(redact(`رقمي الشخصي هو ${toScript(FNR, ARABIC_INDIC)} شكرا`)).toBe('رقمي الشخصي هو <ID> شكرا');
  });

  it('redacts a D-number written in Persian digits with a space inside a Persian sentence', () => {
    expect(redact(`شماره دی من ${toScript('410190 12393', PERSIAN)} است`)).toBe('شماره دی من <ID> است');
  });

  it('redacts a fødselsnummer in fullwidth digits', () => {
    expect(redact(`ID ${FNR.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`)).toBe('ID <ID>');
  });

  it('keeps the text around an identity number exactly as typed, bidi marks included', () => {
    expect(redact(`\u200Fرقمي: ${FNR}\u200F.`)).toBe('\u200Fرقمي: <ID>\u200F.');
  });
});

describe('redact: phone numbers', () => {
  it.each([
    ['a mobile number grouped 3-2-3', 'Ring meg på 912 34 567.', 'Ring meg på <PHONE>.'],
    ['a number grouped 2-2-2-2', 'Tlf 91 23 45 67', 'Tlf <PHONE>'],
    ['a number grouped 4-4', 'Nummer: 9123 4567', 'Nummer: <PHONE>'],
    ['eight digits without spaces', 'sms 91234567 i kveld', 'sms <PHONE> i kveld'],
    ['a landline with hyphens', 'kontor 22-22-22-22', 'kontor <PHONE>'],
    ['+47 with a space', 'Ring +47 912 34 567', 'Ring <PHONE>'],
    ['+47 without spaces', 'Ring +4791234567', 'Ring <PHONE>'],
    ['0047 as the prefix', 'Ring 0047 91 23 45 67', 'Ring <PHONE>'],
    ['+47 in parentheses', 'Tlf (+47) 22 33 44 55', 'Tlf <PHONE>'],
    ['a number with no-break spaces pasted from a phone', 'Tlf 912\u00A034\u00A0567', 'Tlf <PHONE>'],
    ['a Swedish mobile in E.164', 'Min svenske: +46 70 123 45 67', 'Min svenske: <PHONE>'],
    ['a Polish mobile in E.164', 'Numer: +48 601 234 567', 'Numer: <PHONE>'],
    ['a Somali number in E.164', 'Lambarkaygu waa +252 61 234 5678.', 'Lambarkaygu waa <PHONE>.'],
    ['a British number with (0)', 'UK: +44 (0)20 7946 0958', 'UK: <PHONE>'],
    ['an American number with an area code in parentheses', 'US +1 (212) 555-0100', 'US <PHONE>'],
    ['a Syrian number with 00', 'هاتف 00963 944 123 456', 'هاتف <PHONE>'],
  ])('redacts %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('redacts a Norwegian mobile number in Arabic-Indic digits inside an Arabic sentence', () => {
    expect(redact(`اتصل بي على ${toScript('912 34 567', ARABIC_INDIC)} من فضلك`)).toBe('اتصل بي على <PHONE> من فضلك');
  });

  it('redacts a +47 number in Persian digits inside a Persian sentence', () => {
    expect(redact(`شماره من +${toScript('47 91234567', PERSIAN)} است`)).toBe('شماره من <PHONE> است');
  });

  it('redacts two numbers in one Polish sentence', () => {
    expect(redact('Proszę dzwonić: +48 601 234 567 albo 912 34 567.')).toBe('Proszę dzwonić: <PHONE> albo <PHONE>.');
  });

  it('redacts a Somali sentence with a landline grouped 2-2-2-2', () => {
    expect(redact('Lambarka xafiiska waa 55 12 34 56, mahadsanid.')).toBe('Lambarka xafiiska waa <PHONE>, mahadsanid.');
  });

  it('redacts a phone number written with an Arabic dash between groups', () => {
    expect(redact('رقمي ٩١٢٣–٤٥٦٧')).toBe('رقمي <PHONE>');
  });

  // Privacy wins: an ungrouped eight-digit run could be an amount or a reference, but a missed
  // phone number would make the answer identifying, so any run that fits the numbering plan goes.
  it('redacts an ambiguous eight-digit number because privacy wins', () => {
    expect(redact('Saksnummer 45678912')).toBe('Saksnummer <PHONE>');
  });

  it('redacts a 4-4 number with a hyphen that is not a round range', () => {
    expect(redact('Ring 9123-4567')).toBe('Ring <PHONE>');
    expect(redact('Ring 9000-8000')).toBe('Ring <PHONE>'); // round, but falling: not a range
  });

  it('stops a +47 number after its eight digits so a following count is kept', () => {
    expect(redact('+47 912 34 567 2 barn')).toBe('<PHONE> 2 barn');
  });
});

describe('redact: e-mail addresses', () => {
  it.each([
    ['an ASCII address', 'Skriv til ola.nordmann@nav.no.', 'Skriv til <EMAIL>.'],
    ['an address with a plus tag and digits', 'kari+bolig2024@example.com, takk', '<EMAIL>, takk'],
    ['an address with Norwegian letters', 'søren.ærø@bølgen.no', '<EMAIL>'],
    ['a Cyrillic address', 'Пишіть на олена@пошта.укр будь ласка', 'Пишіть на <EMAIL> будь ласка'],
    ['an Arabic address inside an Arabic sentence', 'بريدي مستخدم@مثال.شبكة شكرا', 'بريدي <EMAIL> شكرا'],
    ['a Latin address inside an Arabic sentence', 'بريدي ahmad.ali@gmail.com شكرا', 'بريدي <EMAIL> شكرا'],
    ['an address with a punycode top-level domain', 'a@b.xn--p1ai', '<EMAIL>'],
    ['an address typed with a fullwidth at sign', 'ola＠example.no', '<EMAIL>'],
    ['an address whose local part looks like a phone number', '91234567@sms.no', '<EMAIL>'],
  ])('redacts %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('redacts an e-mail address in a Polish sentence', () => {
    expect(redact('Mój e-mail to łukasz.wiśniewski@poczta.pl.')).toBe('Mój e-mail to <EMAIL>.');
  });
});

describe('redact: ordinary numbers are kept', () => {
  it.each([
    'Jeg har bodd her siden 2023.',
    'Husleia er 8500 kr i måneden.',
    'Jeg betaler 12 000 kroner.',
    'Det koster kr 12.500 per måned.',
    'Leiligheten er 45 m2, eller 45 m² for å være nøyaktig.',
    'Jeg ventet i 7 måneder, fra mars til oktober.',
    'Vi er 4 personer: 2 voksne og 2 barn på 4 og 12 år.',
    'Boligen kostet 2 500 000 kroner.',
    'Jeg fikk 1 005 000 i startlån.',
    'Møtet var 01.02.2024 kl. 14.30.',
    'Vedtaket er datert 2024-03-15.',
    'Vi bodde på hospits 2022-2023.',
    'Fra 2019 til 2023 flyttet vi 3 ganger.',
    'Saken har nummer 2024/1234.',
    'Ventetiden var 3-6 måneder.',
    'Husleia var 8000-9000 kr, nå 8500–9500 kr.',
    'Vi bodde på hospits 24.12-31.12.',
    'Kontoret er åpent kl. 20.00-22.00 på torsdager.',
    'Jeg har 25 % lønnstrekk og 3 500 kr igjen.',
    'Czynsz wynosi 4 500 zł, mieszkam tu od 2021 roku.',
    'Kirada waa 9000 kr bishii, 3 carruur ah.',
    'الإيجار ٨٥٠٠ كرونة منذ ٢٠٢٣',
    'اجاره ۱۲ ۰۰۰ کرون در ماه است، از سال ۱۴۰۱',
    'I paid 12,500 NOK for 3 months.',
  ])('keeps "%s"', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('redact: placeholders and shape', () => {
  it('uses the placeholders <ID>, <PHONE> and <EMAIL>', () => {
    expect(PLACEHOLDER).toMatchObject({ id: '<ID>', phone: '<PHONE>', email: '<EMAIL>' });
    expect(redact(`${FNR} 91234567 a@b.no`)).toBe('<ID> <PHONE> <EMAIL>');
  });

  it('leaves text without personal data unchanged, including the empty string', () => {
    expect(redact('')).toBe('');
    expect(redact('Jeg trengte hjelp med å finne bolig.')).toBe('Jeg trengte hjelp med å finne bolig.');
  });

  it('is idempotent', () => {
    const once = redact(`Ring 912 34 567 eller skriv til ola@nav.no; fnr ${FNR}`);
    expect(redact(once)).toBe(once);
  });

  it('never joins a number across a line break', () => {
    expect(redact('Husleie 8500\n2023 var et tungt år')).toBe('Husleie 8500\n2023 var et tungt år');
  });

  const digitScripts = fc.constantFrom('0123456789', ARABIC_INDIC, PERSIAN);
  const words = fc.array(fc.constantFrom('jeg', 'bor', 'i', 'Oslo', 'رقمي', 'شماره', 'mój', 'numer', ',', '.'), { maxLength: 4 });

  it('redacts every valid fødselsnummer in any digit script and usual grouping (property)', () => {
    const validNumber = fc
      .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }), fc.boolean())
      .map(([day, month, year, ind, dNumber]) => {
        const nine = [dNumber ? day + 40 : day, month, year].map((n) => String(n).padStart(2, '0')).join('') + String(ind).padStart(3, '0');
        try {
          return fnrWithCheck(nine);
        } catch {
          return undefined;
        }
      })
      .filter((n): n is string => n !== undefined);
    const grouping = fc.constantFrom(
      (n: string) => n,
      (n: string) => `${n.slice(0, 6)} ${n.slice(6)}`,
      (n: string) => `${n.slice(0, 6)}-${n.slice(6)}`,
      (n: string) => `${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)} ${n.slice(6, 9)} ${n.slice(9)}`,
    );
    fc.assert(
      fc.property(words, validNumber, grouping, digitScripts, words, (before, n, group, script, after) => {
        const out = redact([...before, toScript(group(n), script), ...after].join(' '));
        expect(out).toContain(PLACEHOLDER.id);
        expect(out.replace(/\D/g, '')).toBe('');
      }),
    );
  });

  it('redacts every Norwegian mobile number in any digit script and usual grouping (property)', () => {
    const mobile = fc.tuple(fc.constantFrom('4', '9'), fc.integer({ min: 0, max: 9_999_999 })).map(([first, rest]) => first + String(rest).padStart(7, '0'));
    const grouping = fc.constantFrom(
      (n: string) => n,
      (n: string) => `${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`,
      (n: string) => `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`,
      (n: string) => `${n.slice(0, 4)} ${n.slice(4)}`,
      (n: string) => `+47 ${n}`,
      (n: string) => `0047${n}`,
    );
    fc.assert(
      fc.property(words, mobile, grouping, digitScripts, words, (before, n, group, script, after) => {
        const out = redact([...before, toScript(group(n), script), ...after].join(' '));
        expect(out).toContain(PLACEHOLDER.phone);
        expect(out.replace(/\D/g, '')).toBe('');
      }),
    );
  });

  it('keeps numbers of up to five digits, and years, whatever the script (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 1900, max: 2099 }), digitScripts, (n, year, script) => {
        const text = toScript(`Jeg betaler ${n} kr fra ${year}`, script);
        expect(redact(text)).toBe(text);
      }),
    );
  });

  it('keeps amounts written with Norwegian thousands grouping (property)', () => {
    const grouped = (n: number, sep: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 999_999_999 }), fc.constantFrom(' ', '\u00A0', '.'), digitScripts, (n, sep, script) => {
        const text = toScript(`Boligen kostet ${grouped(n, sep)} kroner`, script);
        expect(redact(text)).toBe(text);
      }),
    );
  });

  it('keeps calendar dates written day first (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('2049-12-31'), noInvalidDate: true }),
        fc.constantFrom('.', '/', '-'),
        fc.boolean(),
        (d, sep, shortYear) => {
          const year = String(d.getUTCFullYear());
          const text = `Vedtak ${[d.getUTCDate(), d.getUTCMonth() + 1].map((n) => String(n).padStart(2, '0')).join(sep)}${sep}${shortYear ? year.slice(2) : year}.`;
          expect(redact(text)).toBe(text);
        },
      ),
    );
  });

  it('never throws and never grows digits on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const out = redact(text);
        expect(out.replace(/\D/gu, '').length).toBeLessThanOrEqual(text.replace(/\D/gu, '').length);
      }),
    );
  });
});

describe('redactCommand', () => {
  async function run(chunks: (string | Buffer)[]): Promise<{ code: number; output: string }> {
    const stdout = new PassThrough();
    const received: Buffer[] = [];
    stdout.on('data', (c: Buffer) => received.push(c));
    const code = await redactCommand(Readable.from(chunks), stdout);
    return { code, output: Buffer.concat(received).toString('utf8') };
  }

  it('prints each stdin line redacted and exits with 0', async () => {
    const { code, output } = await run([`Ring 912 34 567\nÅr 2023, 8500 kr\nfnr ${FNR}\n`]);
    expect(code).toBe(0);
    expect(output).toBe('Ring <PHONE>\nÅr 2023, 8500 kr\nfnr <ID>\n');
  });

  it('joins a number split across two chunks before redacting it', async () => {
    const { output } = await run(['Ring 912', ' 34 567 i morgen\n']);
    expect(output).toBe('Ring <PHONE> i morgen\n');
  });

  it('decodes an Arabic-Indic digit split between two byte chunks', async () => {
    const bytes = Buffer.from(`رقمي ${toScript('91234567', ARABIC_INDIC)}\n`, 'utf8');
    const cut = bytes.indexOf(Buffer.from('٩', 'utf8')) + 1; // inside the two-byte "٩"
    const { output } = await run([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(output).toBe('رقمي <PHONE>\n');
  });

  it('turns CRLF into LF even when the CR and LF arrive in different chunks', async () => {
    const { output } = await run(['a@b.no\r', '\nok\r\n']);
    expect(output).toBe('<EMAIL>\nok\n');
  });

  it('prints a last line that has no line break, ending it with one', async () => {
    const { output } = await run(['first\nlast 91234567']);
    expect(output).toBe('first\nlast <PHONE>\n');
  });

  it('prints nothing for empty input', async () => {
    const { code, output } = await run([]);
    expect(code).toBe(0);
    expect(output).toBe('');
  });

  it('waits for a slow stdout to drain instead of buffering without bound', async () => {
    const written: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, done) {
        written.push(chunk.toString('utf8'));
        setImmediate(done);
      },
    });
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} 91234567`).join('\n');
    const code = await redactCommand(Readable.from([lines]), slow);
    expect(code).toBe(0);
    expect(written).toHaveLength(50);
    expect(written[49]).toBe('line 49 <PHONE>\n');
  });
});
