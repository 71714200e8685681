import fs from 'node:fs';
import path from 'node:path';
import { gazetteerDir, loadGazetteer } from '../../src/privacy/redaction/gazetteer';
import { localesDir } from '../../src/paths';

/**
 * The name lists of src/privacy/redaction/namelists: where they come from, what they hold, and that no
 * name counted as strong evidence is an ordinary word of the project's own texts in any locale
 * (which would make the bot's own sentences look like names).
 */
const files = fs.readdirSync(gazetteerDir).filter((f) => f.endsWith('.json'));
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(gazetteerDir, f), 'utf8')) as Record<string, unknown>;
const gazetteer = loadGazetteer();

describe('the name lists', () => {
  it.each(files)('%s says where it comes from and claims no register it did not use', (file) => {
    const data = read(file);
    expect(typeof data.about).toBe('string');
    expect(data.source).toMatch(/compiled by the project/i);
    if (file.startsWith('names-')) expect(data.source).toMatch(/not an extract of any register/i);
  });

  it('covers the scripts respondents write in, with some hundreds of names each', () => {
    const names = files.filter((f) => f.startsWith('names-')).flatMap((f) => [...(read(f).given as string[]), ...(read(f).surnames as string[])]);
    const count = (script: RegExp) => names.filter((n) => script.test(n)).length;
    expect(count(/^\p{Script=Latin}/u)).toBeGreaterThan(1000);
    expect(count(/^\p{Script=Arabic}/u)).toBeGreaterThan(1000);
    expect(count(/^\p{Script=Cyrillic}/u)).toBeGreaterThan(300);
    expect(count(/^\p{Script=Ethiopic}/u)).toBeGreaterThan(200);
    expect(count(/^\p{Script=Thai}/u)).toBeGreaterThan(100);
  });

  it('knows names in several scripts and spellings, and inflected forms', () => {
    for (const name of ['Kari', 'Maxamed', 'محمد', 'رضایی', 'ዮናስ', 'Оксана', 'Kowalska', 'สมชาย', 'اولسن', 'ክሪስቲን'])
      expect({ name, listed: gazetteer.lookup(name, false) !== undefined }).toEqual({ name, listed: true });
    for (const inflected of ['Kowalskim', 'Olgą', 'Оксаною', 'Ивановой', 'Petrausku', 'Ользі', 'Markiem'])
      expect({ inflected, listed: gazetteer.lookup(inflected, true) !== undefined }).toEqual({ inflected, listed: true });
  });

  it('counts names that are also ordinary words as weak only', () => {
    for (const word of ['Hope', 'Amal', 'Said', 'Lina', 'Nur', 'Sabr', 'أمل', 'نور', 'علي', 'Вера', 'Надежда', 'ሰላም', 'امید', 'Strøm', 'Berg', 'Will'])
      expect({ word, weak: gazetteer.lookup(word, false)?.weak }).toEqual({ word, weak: true });
  });

  it('keeps Arabic على ("on") apart from the name علي', () => {
    expect(gazetteer.lookup('على', false)).toBeUndefined();
    expect(gazetteer.never('على')).toBe(true);
  });

  // Names that are words of the project's own texts only inside a longer name: Haidar in حیدر آباد (Hyderabad).
  const ALLOWED = new Set(['حیدر']);

  it('has no strong name that is a word of any locale’s own texts', () => {
    const words = new Set<string>();
    const walk = (o: unknown): void => {
      if (typeof o === 'string') for (const w of o.match(/[\p{L}\p{M}'’-]+/gu) ?? []) words.add(w);
      else if (Array.isArray(o)) o.forEach(walk);
      else if (o && typeof o === 'object') Object.values(o).forEach(walk);
    };
    for (const tag of fs.readdirSync(localesDir)) {
      const dir = path.join(localesDir, tag);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const f of ['bot.json', 'housing-help.json', 'resident-participation.json', 'hints.json', 'detect.json'])
        if (fs.existsSync(path.join(dir, f))) walk(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    }
    const strong = [...words].filter((w) => !ALLOWED.has(w) && gazetteer.lookup(w, false)?.weak === false);
    expect(strong).toEqual([]);
  });
});
