import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ConfigError, loadConfig } from '../../src/config';
import { configureRedaction, createRedactor, noRedactions, PLACEHOLDERS, REDACTION_KINDS, redact, redactText } from '../../src/privacy/redact';
import { loadLexicon, redactionLexiconFile } from '../../src/privacy/redaction/lexicon';
import { formatKinds, redactCommand } from '../../src/privacy/redactCommand';
import { localesDir } from '../../src/paths';

describe('redactText', () => {
  it('reports how many of each kind it replaced, and zero for every other kind', () => {
    const r = redactText('Jeg heter Kari, ring 912 34 567 eller +48 601 234 567, bor i Storgata 5');
    expect(r.text).toBe('Jeg heter <NAME>, ring <PHONE> eller <PHONE>, bor i <ADDRESS>');
    expect(r.kinds).toEqual({ ...noRedactions(), name: 1, phone: 2, address: 1 });
  });

  it('reports nothing for an ordinary answer and returns it as typed', () => {
    const text = 'Husleia er 12 500 kr, NAV og Bergen kommune hjalp i 2023.';
    expect(redactText(text)).toEqual({ text, kinds: noRedactions() });
  });

  it('has one placeholder per kind, none of which is matched again', () => {
    expect(Object.keys(PLACEHOLDERS).sort()).toEqual([...REDACTION_KINDS].sort());
    const all = Object.values(PLACEHOLDERS).join(' ');
    expect(redactText(all)).toEqual({ text: all, kinds: noRedactions() });
  });

  it('is idempotent on every line of the personal corpus', () => {
    const lines = fs
      .readFileSync(path.join(__dirname, '..', 'fixtures', 'redaction-personal.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .slice(1)
      .map((l) => l.split('\t')[2].replace(/\[\[\w+:(.*?)\]\]/g, '$1'));
    for (const line of lines) {
      const once = redact(line);
      expect(redact(once)).toBe(once);
    }
  });

  it('keeps bidi marks and the digit script of the text around what it replaces', () => {
    expect(redact('\u200Fاسمي أحمد، رقمي ٠٩٤٤ ١٢٣ ٤٥٦ والإيجار ٨٥٠٠ كرونة\u200F')).toBe('\u200Fاسمي <NAME>، رقمي <PHONE> والإيجار ٨٥٠٠ كرونة\u200F');
  });

  // No time limit is asserted (the machine is shared); a pattern that backtracks would make these
  // run for minutes and fail on the test timeout instead.
  it.each([
    ['ordinary prose', 'Jeg har bodd på hospits i 4 måneder, husleia er 12 500 kr og NAV sa vent. '],
    ['digits and spaces', '1 2 3 4 5 6 7 8 9 '],
    ['phone numbers', 'ring 601 234 567 eller 0790 123 456 '],
    ['one long word', 'a'],
    ['dots between letters', 'a.'],
    ['introductions without names', 'jeg heter '],
    ['sign-offs', 'hilsen '],
    ['streets', 'Storgata 1 '],
    ['Arabic script and digits', 'اسمي أحمد ٩١٢٣٤٥٦٧ 01.02.2024 '],
    ['hyphens and digits', '1-'],
    ['at signs', '@a'],
  ])('finishes a 10 kB line of %s', (_what, unit) => {
    const line = unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000);
    const r = redactText(line);
    expect(typeof r.text).toBe('string');
  });
});

describe('phone regions', () => {
  afterEach(() => configureRedaction({}));

  it("tries Norway first, then every locale's meta.json regions", () => {
    const { phoneRegions } = loadLexicon();
    expect(phoneRegions[0]).toBe('NO');
    expect(phoneRegions).toEqual(expect.arrayContaining(['PL', 'LT', 'UA', 'RU', 'SE', 'DK', 'SO', 'ER', 'ET', 'AF', 'IR', 'PK', 'IQ', 'SY', 'TH', 'GB']));
    expect(new Set(phoneRegions).size).toBe(phoneRegions.length);
  });

  it('recognises a local number only in a configured region', () => {
    // Without a phone word before it: "ring 0790 123 456" is redacted in any case, privacy first.
    const swedish = 'svensk: 0790 123 456';
    expect(createRedactor({ phoneRegions: ['NO', 'SE'] }).redactText(swedish).text).toBe('svensk: <PHONE>');
    expect(createRedactor({ phoneRegions: ['NO', 'PL'] }).redactText(swedish).text).toBe(swedish);
  });

  it('keeps the Norwegian rules and prefixed numbers whatever the regions', () => {
    const r = createRedactor({ phoneRegions: ['NO'] });
    expect(r.redactText('ring 912 34 567 eller +46 70 123 45 67').text).toBe('ring <PHONE> eller <PHONE>');
  });

  it('applies configured regions to every later redact call', () => {
    configureRedaction({ phoneRegions: ['NO'] });
    expect(redact('svensk: 0790 123 456')).toBe('svensk: 0790 123 456');
    configureRedaction({});
    expect(redact('svensk: 0790 123 456')).toBe('svensk: <PHONE>');
  });

  it('refuses a region libphonenumber does not know', () => {
    expect(() => createRedactor({ phoneRegions: ['NO', 'XX'] })).toThrow(/XX/);
  });

  it('reads REDACT_PHONE_REGIONS from the environment as a list of codes', () => {
    expect(loadConfig({ REDACT_PHONE_REGIONS: 'no, pl;SO' }).redaction.phoneRegions).toEqual(['NO', 'PL', 'SO']);
    expect(loadConfig({}).redaction.phoneRegions).toBeUndefined();
  });

  it('stops start-up with one line naming REDACT_PHONE_REGIONS when a code is wrong', () => {
    expect(() => loadConfig({ REDACT_PHONE_REGIONS: 'NO,Norway' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDACT_PHONE_REGIONS: 'NO,Norway' })).toThrow(/^Invalid environment variable REDACT_PHONE_REGIONS: .*ISO 3166/);
  });
});

describe('the word lists in locales/<lng>/redaction.json', () => {
  const tags = fs.readdirSync(localesDir).filter((t) => fs.statSync(path.join(localesDir, t)).isDirectory());

  it.each(tags)('%s has a valid redaction.json and self-introductions', (tag) => {
    const file = redactionLexiconFile.parse(JSON.parse(fs.readFileSync(path.join(localesDir, tag, 'redaction.json'), 'utf8')));
    expect(file.introductions.length).toBeGreaterThan(0);
    expect(file.signOffs.length).toBeGreaterThan(0);
    expect(file.nameStops.length).toBeGreaterThan(0);
  });
});

describe('survey-bot redact --explain', () => {
  async function run(input: string, args: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await redactCommand(Readable.from([input]), stdout, args, undefined, stderr);
    return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
  }

  it('prefixes each line with the kinds replaced in it, and totals them on stderr', async () => {
    const r = await run('Jeg heter Kari, ring 912 34 567\nHusleie 8500 kr\nmvh Ola\n', ['--explain']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('name=1 phone=1\tJeg heter <NAME>, ring <PHONE>\n-\tHusleie 8500 kr\nname=1\tmvh <NAME>\n');
    expect(r.err).toBe('3 line(s), 2 with personal data replaced: name=2 phone=1\n');
  });

  it('never prints what it found, only kinds and counts', async () => {
    const r = await run('Jeg heter Kari Nordmann\n', ['--explain']);
    expect(r.out + r.err).not.toContain('Kari');
    expect(r.out + r.err).not.toContain('Nordmann');
  });

  it('refuses an unknown option with exit code 2', async () => {
    const r = await run('x\n', ['--verbose']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option --verbose/);
  });

  it('formats counts in the order of the kinds, "-" for none', () => {
    expect(formatKinds({ ...noRedactions(), phone: 2, name: 1 })).toBe('name=1 phone=2');
    expect(formatKinds(noRedactions())).toBe('-');
  });
});
