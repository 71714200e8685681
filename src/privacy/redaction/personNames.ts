import { Gazetteer, nameKey, NameEntry } from './gazetteer';
import { Finding } from './kinds';
import { Lexicon } from './lexicon';
import { MASK } from './mask';
import { Detector } from './numbers';
import { hasCase, isAcronym, isCapitalised, PhraseMatch, phraseFinder, phrasesPattern, UNSPACED } from './words';

/**
 * Names anywhere in the text, found by evidence rather than by the phrase around them: "we were
 * helped by Maria Olsen at the office", "saksbehandleren min Kristin svarer aldri", "ابني يوسف",
 * "Я говорила с Ольгой Ивановой". The phrase rules of names.ts (self-introductions, signatures)
 * run first; this detector runs last and sees what they left.
 *
 * Each word is scored; a word with 3 points or more is a name:
 *
 *   listed   2  a given name or family name of the gazetteers (gazetteer.ts), in any script and
 *               transliteration, also inflected ("Kowalskim", "Оксаною") when capitalised;
 *            1  instead, when the name is also an ordinary word, a place or an organisation
 *               ("Hope", "Amal", أمل, نور, Вера, ሰላም, "Berg", "Strøm");
 *   capital  1  a capital initial in the middle of a sentence (scripts with letter case); at the
 *               start of a sentence only for a listed name that is no ordinary word, and never
 *               right after a sign-off that opens a sentence ("Hilsen Kari og barna, …"), which
 *               belongs to the signature rules;
 *   no case  1  a listed name that is no ordinary word, in a script without letter case (Arabic,
 *               Persian, Ethiopic) or typed in lower case by someone who writes no capital on any
 *               other name (most SMS): there a capital could not have told anything;
 *   person   2  right after a word that introduces a person (`personWords` and `personTitles`
 *               of every locale: "saksbehandler", "my son", "Pani", "الموظفة", "соцработник",
 *               "ኣቶ"), or right before a title that follows a name (`personWordsAfter`: جان,
 *               صاحب), if the word can be a name: capitalised, listed, or in a script without
 *               case listed at all ("my caseworker said" is no name);
 *   title    3  right after a title that stands only before names (`personTitles`: آقای, ኣቶ,
 *               ወይዘሮ, کاک), in a script without case: any word that is no ordinary word. Not
 *               Arabic السيد or Polish "pani", which also mean "the gentleman" and "you".
 *   pair   1-2  next to another name-like word (a listed name, a capitalised word mid-sentence, or
 *               an introduced word) with nothing but spaces between: 1 per such neighbour, 1 more
 *               when both are capitalised mid-sentence or, where there is no case, when they
 *               are a listed given name and a listed family name in that order; at most 2. Two
 *               capitalised unknown words in the middle of a sentence are thus a name
 *               ("Tesfamariam Gebrehiwot"), and so is "شاہد اقبال".
 *
 * Never a name, whatever the score: words of the locales' lists (stop words, institutions,
 * quantities, months, weekdays, greetings, person words, …) and of not-names.json (places,
 * organisations, apps, holidays, languages), unless they are listed names too, which makes them
 * weak ("Jan", "Will", "Lund"). Such a word also breaks a run of capitalised words, so "NAV
 * Grünerløkka", "Kirkens Bymisjon" and "Røde Kors" stay. Where nearly every word of a message
 * has a capital, or every letter is one ("We Need A Bigger Flat", "JEG TRENGER HJELP"), capitals
 * tell nothing, and its words are scored as in a script without case.
 *
 * A name found extends to the words next to it that look like part of it: listed names,
 * capitalised words, and family-name shapes (Arabic-script al-names, -enko, -ska, -auskas), up
 * to four words with particles such as "bin" and "van" between.
 *
 * Thai is written without spaces: a listed Thai name that is no ordinary word counts right after
 * a title glued to it (คุณ, นาย, ลูกชาย…), or when it is a whole space-separated run, with a
 * listed family name as the next run.
 */

const WORD = /[\p{L}\p{M}](?:[\p{L}\p{M}'’ʼ-]*[\p{L}\p{M}])?/gu;
// What may stand between the words of one name.
const NAME_GAP = /^[ \u1361]+$/;
// Where a sentence may begin, for a sign-off that opens it.
const SENTENCE_BREAK = /[\n.!?]/;
// What may stand between a person word and the name: "my caseworker, Kari", "Mrs. Hansen".
const CONTEXT_LEAD = / *(?:[:,،\-–—.] *)?/y;
// Before a sentence start: nothing, or one of these (then spaces).
const SENTENCE_END = /[.!?;:\n\r"“”«»()[\]{}•*…\u061F\u06D4\u1362\u1367\u0964-]/u;
const THAI_RUN = /[\p{Script=Thai}]+/gu;
const THAI = /\p{Script=Thai}/u;
const ARABIC_AL = /^(?:ال|آل)\p{Script=Arabic}{3,}$/u;
// Family-name shapes a name found extends to: Polish, Lithuanian, Ukrainian and Russian endings
// (long enough not to end ordinary words of other languages: Somali "xafiiska" is no -ska), and
// Scandinavian -sen/-son names written in Arabic, Persian or Ethiopic script (اولسن, ሃንሰን).
const FAMILY_SUFFIX =
  /(?:owski|ewski|inski|ński|owska|ewska|inska|ńska|dzki|dzka|wicz|czyk|auskas|auskienė|auskiene|evičius|evicius|avičius|avicius|aitė|ytė|enko|енко|ович|евич|овна|евна|івна|ський|ська|ский|ская|ова|ева|ов|ев|ук|юк|чук)$/u;
const SCANDINAVIAN_IN_OTHER_SCRIPTS = /^\p{L}{2,}(?:سن|سون|ሰን|ሶን)$/u;
// No name is this long (the lists' longest is far shorter); longer words are never looked up,
// which keeps redaction linear in a message of one endless word (the hostile-input run sends 70 kB).
const MAX_NAME_LENGTH = 40;
const MAX_NAME_WORDS = 4;
const CASELESS_MIN_WORDS = 6;
const CASELESS_SHARE = 0.6;
const THRESHOLD = 3;

const capMid = (t: Token) => t.cap && !t.atStart;
const nameLike = (t: Token) => t.listed > 0 || capMid(t) || (t.person > 0 && (t.cap || !t.cased)) || (t.title && !t.cased);
// Where there is no case, a given name followed by a family name is as strong as two capitals: "شاہد اقبال".
const fullName = (a: Token, b: Token) => !a.cased && !b.cased && a.entry?.given === true && b.entry?.surname === true;
// What a name found extends to.
const shaped = (t: Token) =>
  t.listed > 0 || (t.cased && t.cap) || ARABIC_AL.test(t.word) || FAMILY_SUFFIX.test(t.word) || SCANDINAVIAN_IN_OTHER_SCRIPTS.test(t.word);

interface Token {
  start: number;
  end: number;
  word: string;
  /** The script has letter case. */
  cased: boolean;
  /** Capital initial, not an acronym (or an acronym that is a listed name: "KARI"). */
  cap: boolean;
  atStart: boolean;
  /** A placeholder of an earlier redaction (`<NAME>`): counts as a capitalised name. */
  placeholder: boolean;
  never: boolean;
  particle: boolean;
  entry?: NameEntry;
  listed: number;
  person: number;
  /** Right after a title that stands only before names. */
  title: boolean;
  score: number;
  name: boolean;
}

export function personNameDetectors(lexicon: Lexicon, gazetteer: Gazetteer): Detector[] {
  const { lists } = lexicon;
  const ordinaryLists = [
    lists.nameStops,
    lists.keepWords,
    lists.quantityWords,
    lists.phoneWords,
    lists.documentWords,
    lists.addressWords,
    lists.greetings,
    lists.signOffs,
    lists.thanks,
    lists.introductions,
    lists.greetingIntroductions,
    lists.personWords,
    lists.personTitles,
    lists.months,
    lists.weekdays,
    lists.birthWords,
    lists.referenceWords,
    lists.emailAt,
    lists.emailDot,
    lists.streetWords,
    lists.streetPrefixes,
  ];
  // In the names' own fold, which keeps Arabic على ("on") apart from علي (Ali).
  const ordinary = new Set(ordinaryLists.flat().flatMap((p) => (UNSPACED.test(p) ? [] : nameKey(p).split(/\s+/))));
  const particles = new Set(lists.nameParticles.map(nameKey));
  const after = new Set(lists.personWordsAfter.map(nameKey));
  const personBefore = phraseFinder([...lists.personWords, ...lists.personTitles].filter((w) => !UNSPACED.test(w)));
  const titles = new Set(lists.personTitles);
  // A sign-off at the start of a message, line or sentence ("Hilsen Kari og barna, …"): a name
  // right after it is the signature rules' to take, which want the message to end there.
  const signOffAt = lists.signOffs.length ? new RegExp(`(?:${phrasesPattern(lists.signOffs)})(?![\\p{L}\\p{M}])[ \\t,!:.]*`, 'iuy') : undefined;
  const thaiTitles = [...lists.personWords, ...lists.personTitles].filter((w) => THAI.test(w)).sort((a, b) => b.length - a.length);

  interface Word {
    start: number;
    end: number;
    word: string;
    key: string;
  }

  /** The words of a text with their keys, Thai left out (thaiNames); `keys` memoises the fold for one call. */
  function wordsOf(text: string, keys: Map<string, string>): Word[] {
    const out: Word[] = [];
    for (const m of text.matchAll(WORD)) {
      const word = m[0];
      if (THAI.test(word[0])) continue;
      let key = keys.get(word);
      if (key === undefined) keys.set(word, (key = nameKey(word)));
      out.push({ start: m.index!, end: m.index! + word.length, word, key });
    }
    return out;
  }

  /** Where the words after a person word or title begin (after "my caseworker, ", "Mrs. "). */
  const endsOf = (found: PhraseMatch[], text: string) =>
    new Set(
      found.map((m) => {
        CONTEXT_LEAD.lastIndex = m.end;
        CONTEXT_LEAD.exec(text);
        return CONTEXT_LEAD.lastIndex;
      }),
    );

  /** Where the words after a sign-off that opens a message, line or sentence begin. */
  function openerEnds(text: string): Set<number> {
    const ends = new Set<number>();
    if (!signOffAt) return ends;
    for (let at = 0; at < text.length; at++) {
      if (at > 0 && !SENTENCE_BREAK.test(text[at - 1])) continue;
      let from = at;
      while (text[from] === ' ' || text[from] === '\t') from++;
      signOffAt.lastIndex = from;
      const m = signOffAt.exec(text);
      if (m) ends.add(from + m[0].length);
    }
    return ends;
  }

  const isOrdinary = (key: string) => ordinary.has(key) || gazetteer.neverKey(key);

  function classify(text: string, words: Word[], openerEnds: Set<number>, personEnds: Set<number>, titleEnds: Set<number>): Token[] {
    const tokens: Token[] = [];
    for (const { start, end, word, key } of words) {
      if (word.length > MAX_NAME_LENGTH) {
        tokens.push({
          start,
          end,
          word,
          cased: false,
          cap: false,
          atStart: false,
          placeholder: false,
          never: true,
          particle: false,
          listed: 0,
          person: 0,
          title: false,
          score: 0,
          name: false,
        });
        continue;
      }
      const cased = hasCase(word);
      const placeholder = text[start - 1] === '<' && text[end] === '>' && word === word.toUpperCase();
      const ordinaryWord = isOrdinary(key) || (word.includes('-') && key.split('-').some((k) => k && isOrdinary(k)));
      let before = start;
      while (before > 0 && text[before - 1] === ' ') before--;
      const atStart =
        before === 0 || SENTENCE_END.test(text[before - 1]) || openerEnds.has(start) || (text[before - 1] !== MASK && /[\p{S}]/u.test(text[before - 1]));
      const capitalInitial = cased && isCapitalised(word);
      const acronym = capitalInitial && isAcronym(word);
      // Inflected forms only for a capitalised word inside a sentence: a stem alone is thin evidence.
      const entry = placeholder ? undefined : gazetteer.lookupKey(key, capitalInitial && !atStart && !ordinaryWord);
      const weak = entry !== undefined && (entry.weak || ordinaryWord);
      tokens.push({
        start,
        end,
        word,
        cased,
        cap: capitalInitial && (!acronym || (entry !== undefined && word.length >= 3)),
        atStart,
        placeholder,
        // A particle is part of a name only next to one ("Abu Bakr"), even where it is also a word (Urdu ابو "dad").
        never: placeholder || (ordinaryWord && entry === undefined && !particles.has(key)),
        particle: particles.has(key),
        entry,
        listed: entry === undefined ? 0 : weak ? 1 : 2,
        person: personEnds.has(start) ? 2 : 0,
        title: titleEnds.has(start),
        score: 0,
        name: false,
      });
    }
    return tokens;
  }

  /** Whether something an earlier rule took began with a capital letter. */
  const maskedCapital = (masked: string, original: string) => {
    for (let i = masked.indexOf(MASK); i >= 0; i = masked.indexOf(MASK, i + 1))
      if ((i === 0 || masked[i - 1] !== MASK) && isCapitalised(original[i] ?? '')) return true;
    return false;
  };

  /** Whether the writer puts a capital on names: some capitalised word mid-sentence that is no ordinary word, or a placeholder. */
  const writesCapitals = (tokens: Token[]) => tokens.some((t) => t.placeholder || (t.cap && !t.atStart && !t.never && t.listed !== 1 && t.word.length > 1));

  /** Runs of words with only spaces between, none of them ordinary. */
  function runsOf(text: string, tokens: Token[]): Token[][] {
    const runs: Token[][] = [];
    let run: Token[] = [];
    const close = () => {
      if (run.length) runs.push(run);
      run = [];
    };
    tokens.forEach((t, i) => {
      if (t.never) return close();
      if (run.length && !NAME_GAP.test(text.slice(run[run.length - 1].end, t.start))) close();
      // A title after the name: "مریم جان", "Imran صاحب".
      const next = tokens[i + 1];
      if (next && after.has(nameKey(next.word)) && NAME_GAP.test(text.slice(t.end, next.start))) t.person = 2;
      run.push(t);
    });
    close();
    return runs;
  }

  /** Scores the words of one run and marks the names (see the table above). */
  function decide(run: Token[], capitals: boolean, openers: Set<number>): void {
    const words = run.filter((t) => !t.particle || t.listed > 0);
    for (const t of words) {
      const capital = t.cap ? (t.atStart ? (t.listed === 2 && !openers.has(t.start) ? 1 : 0) : 1) : 0;
      const noCase = t.listed === 2 && (!t.cased || (!t.cap && !capitals)) ? 1 : 0;
      // A person word counts before a word that can be a name: capitalised, listed as a name only,
      // or listed at all where the script has no case ("my caseworker said" is no name).
      const introduced = t.person > 0 && ((t.cased && t.cap) || t.listed === 2 || (!t.cased && t.listed > 0)) ? t.person : 0;
      const titled = t.title && !t.cased ? THRESHOLD : 0;
      t.score = t.listed + capital + noCase + Math.max(introduced, titled);
    }
    words.forEach((t, i) => {
      let pair = 0;
      const [prev, next] = [words[i - 1], words[i + 1]];
      if (prev && nameLike(prev)) pair += (capMid(t) && capMid(prev)) || fullName(prev, t) ? 2 : 1;
      if (next && nameLike(next)) pair += (capMid(t) && capMid(next)) || fullName(t, next) ? 2 : 1;
      t.name = t.score + Math.min(pair, 2) >= THRESHOLD;
    });
    // A name takes the words next to it that look like part of it.
    for (let changed = true; changed;) {
      changed = false;
      words.forEach((t, i) => {
        if (!t.name && shaped(t) && (words[i - 1]?.name || words[i + 1]?.name)) t.name = changed = true;
      });
    }
  }

  /**
   * One finding per stretch of names in a run, at most MAX_NAME_WORDS words each, with the
   * particles between names and one right before a name ("Abu Bakr", "bin Salem", "ابو محمد").
   */
  function* stretches(run: Token[]): Iterable<Finding> {
    let first: Token | undefined;
    let last: Token | undefined;
    let count = 0;
    let particle: Token | undefined;
    for (const t of run) {
      if (t.name && first && count < MAX_NAME_WORDS) {
        last = t;
        count++;
      } else if (t.name) {
        if (first) yield { start: first.start, end: last!.end, kind: 'name' };
        first = particle ?? t;
        last = t;
        count = 1;
      } else if (!t.particle && first) {
        yield { start: first.start, end: last!.end, kind: 'name' };
        first = last = undefined;
      }
      particle = t.particle && !t.name ? t : undefined;
    }
    if (first) yield { start: first.start, end: last!.end, kind: 'name' };
  }

  /**
   * Capitals tell nothing in a message where (nearly) every word has one, or every letter is one:
   * "We Need A Bigger Flat", "JEG HETER KARI". Its words are then treated like a script without case.
   */
  function caseless(tokens: Token[]): boolean {
    const cased = tokens.filter((t) => t.cased && !t.placeholder && t.word.length > 1);
    return cased.length >= CASELESS_MIN_WORDS && cased.filter((t) => isCapitalised(t.word)).length / cased.length >= CASELESS_SHARE;
  }

  const detect: Detector = function* (masked, original = masked) {
    const openers = openerEnds(masked);
    const keys = new Map<string, string>();
    const people = personBefore(masked);
    const tokens = classify(
      masked,
      wordsOf(masked, keys),
      openers,
      endsOf(people, masked),
      endsOf(
        people.filter((m) => titles.has(m.phrase)),
        masked,
      ),
    );
    // Capitals are judged on the text as typed: a name an earlier rule took counts with its case,
    // and a placeholder as a capitalised name, so that redacting twice finds nothing new.
    const noCase = caseless(tokens);
    const capitals = !noCase && (writesCapitals(tokens) || maskedCapital(masked, original));
    if (noCase)
      for (const t of tokens) {
        t.cased = false;
        t.cap = false;
      }
    // A listed compound is a name even where a part of it is a word: "نجیب الله", "عبد الله".
    for (let i = 0; i + 1 < tokens.length; i++)
      if (NAME_GAP.test(masked.slice(tokens[i].end, tokens[i + 1].start)) && gazetteer.compound(tokens[i].word, tokens[i + 1].word))
        for (const t of [tokens[i], tokens[i + 1]]) {
          t.never = false;
          t.listed = 2;
        }
    for (const run of runsOf(masked, tokens)) {
      decide(run, capitals, openers);
      yield* stretches(run);
    }
    yield* thaiNames(masked);
  };

  /** Thai names: after a glued title, or as a whole run, with a listed family name as the next run. */
  function* thaiNames(text: string): Iterable<Finding> {
    const runs = [...text.matchAll(THAI_RUN)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
    const listedAt = (s: string, at: number, strong: boolean) => gazetteer.thai.find((n) => (!strong || !n.entry.weak) && s.startsWith(n.name, at));
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      let found: { start: number; end: number } | undefined;
      for (let at = 0; at < run.text.length && !found; at++) {
        const title = thaiTitles.find((t) => run.text.startsWith(t, at));
        if (!title) continue;
        // Nicknames are ordinary words (น้ำ water, ฝน rain) and คุณ is also "you": only names that are no word count.
        const name = listedAt(run.text, at + title.length, true);
        if (name) found = { start: run.start + at + title.length, end: run.start + at + title.length + name.name.length };
        // A title as a run of its own, the name in the next: "คุณ มาลี".
        else if (at + title.length === run.text.length && runs[i + 1]?.start === run.end + 1) {
          const next = listedAt(runs[i + 1].text, 0, true);
          if (next) found = { start: runs[i + 1].start, end: runs[i + 1].start + next.name.length };
        }
      }
      if (!found) {
        const whole = gazetteer.thai.find((n) => n.name === run.text && !n.entry.weak);
        if (whole) found = { start: run.start, end: run.end };
      }
      if (!found) continue;
      const end = found.end;
      const next = runs.find((r) => r.start === end + 1 && text[end] === ' ');
      if (next && gazetteer.thai.some((n) => n.name === next.text)) found = { start: found.start, end: next.end };
      yield { ...found, kind: 'name' };
    }
  }

  return [detect];
}
