import { Lexicon } from './lexicon';
import { Detector } from './numbers';
import { isCapitalised, keySet, plainKey, wholePhrases, wordKey } from './words';

/**
 * Street addresses and postcodes. A Norwegian street name is a word ending in one of the locales'
 * `streetSuffixes` (Storgata, Fjellveien, Olav Kyrres plass: the common endings of street names in
 * Kartverket's address register), or such an ending as its own word after the name ("Kongens gate"), followed by
 * a house number and an optional letter ("12B", "12 b"); Polish and Ukrainian addresses put the
 * street word first ("ul. Długa 5", "вул. Шевченка, 12"). A four-digit postcode with the place
 * after it ("0155 Oslo") is an address too. A place name alone stays: analysts need "Bergen", and
 * "Bergen kommune" or "NAV Grünerløkka" name an office, not a home.
 */

const NUMBERED =
  /(?<![\p{L}\p{M}\p{N}])([\p{L}\p{M}][\p{L}\p{M}'’-]*)(\.?) ?([1-9]\d{0,2})(?:([A-Ha-h])|( [A-Ha-h]))?(?:[/-][1-9]\d{0,2}[A-Ha-h]?)?(?![\p{L}\p{M}\p{N}]|[.,]\d)/gu;
const HOUSE_NUMBER = / ?,? ?[1-9]\d{0,2}(?:[A-Ha-h]| [A-Ha-h])?(?:[/-][1-9]\d{0,2}[A-Ha-h]?)?(?![\p{L}\p{M}\p{N}]|[.,]\d)/uy;
const POSTCODE_TAIL = /,? *\d{4} +[\p{L}\p{M}][\p{L}\p{M}-]*/uy;
const POSTCODE = /(?<![\p{L}\p{M}\p{N}.,:/\-+]|\p{N}[ .])(\d{4}) +([\p{L}\p{M}][\p{L}\p{M}-]*)/gu;
const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’-]*\.?/uy;
const NEXT_WORD = / *([\p{L}\p{M}][\p{L}\p{M}\p{N}²]*|%)/uy;
const YEAR_LIKE = /^(?:19|20)\d\d$/;
const END_OF_CLAUSE = /^ *(?:$|[\p{P}\n])/u;
const MAX_NAME_WORDS = 3;
const LEAD = / *(?:[:\-–—،] *)?/y;
const SPACES = / +/y;
const MAYBE_SPACES = / */y;

/** The word that ends just before `pos` (one space between), or undefined. */
function wordBefore(text: string, pos: number): { start: number; word: string } | undefined {
  if (text[pos - 1] !== ' ') return undefined;
  let i = pos - 1;
  while (i > 0 && /[\p{L}\p{M}'’\-.]/u.test(text[i - 1]) && pos - i < 40) i--;
  const word = text.slice(i, pos - 1);
  return /^[\p{L}\p{M}]/u.test(word) ? { start: i, word } : undefined;
}

/** Detectors for street addresses (suffix, prefix or announced by a word) and postcodes with a place. */
export function addressDetectors(lexicon: Lexicon): Detector[] {
  const { lists } = lexicon;
  const suffixes = lists.streetSuffixes.map((s) => ({ exact: wordKey(s), plain: plainKey(s) }));
  const separate = keySet([...lists.streetSuffixes, ...lists.streetWords]);
  // A glued ending matches as typed, or without diacritics when it was typed without them.
  const endsInSuffix = (word: string) => {
    const key = wordKey(word);
    return suffixes.some(({ exact, plain }) => {
      if (key.length < exact.length + 2) return false;
      if (key.endsWith(exact)) return true;
      const tail = key.slice(-plain.length);
      return tail === plain && plainKey(tail) === tail;
    });
  };
  const stops = keySet(lists.nameStops);
  const quantity = keySet(lists.quantityWords);
  const keep = keySet(lists.keepWords);
  const ordinary = (word: string) => stops.has(word) || quantity.has(word) || keep.has(word);
  const prefix = new RegExp(wholePhrases(lists.streetPrefixes), 'giu');
  const announcedBy = new RegExp(wholePhrases(lists.addressWords), 'giu');

  const followedByQuantity = (text: string, end: number) => {
    NEXT_WORD.lastIndex = end;
    const m = NEXT_WORD.exec(text);
    return m !== null && quantity.has(m[1]);
  };
  const withPostcode = (text: string, end: number) => {
    POSTCODE_TAIL.lastIndex = end;
    return POSTCODE_TAIL.exec(text) ? POSTCODE_TAIL.lastIndex : end;
  };

  const street: Detector = function* (text) {
    for (const m of text.matchAll(NUMBERED)) {
      const [, word, dot] = m;
      const glued = !keep.has(word) && endsInSuffix(word + dot);
      const alone = separate.has(word + dot);
      if (!glued && !alone) continue;
      const end = m.index! + m[0].length;
      if (followedByQuantity(text, end)) continue;
      // The name before the street word: capitalised words or genitives ("Kong Oscars gate").
      let start = m.index!;
      let named = 0;
      for (let before = wordBefore(text, start); before && named < MAX_NAME_WORDS; before = wordBefore(text, start)) {
        const ok = !ordinary(before.word) && (isCapitalised(before.word) || (alone && wordKey(before.word).endsWith('s')));
        if (!ok) break;
        start = before.start;
        named++;
      }
      if (alone && named === 0) continue;
      yield { start, end: withPostcode(text, end), kind: 'address' };
    }
  };

  const prefixed: Detector = function* (text) {
    for (const m of text.matchAll(prefix)) {
      let at = m.index! + m[0].length;
      let words = 0;
      while (words < MAX_NAME_WORDS) {
        MAYBE_SPACES.lastIndex = at;
        MAYBE_SPACES.exec(text);
        WORD.lastIndex = MAYBE_SPACES.lastIndex;
        const w = WORD.exec(text);
        if (!w || ordinary(w[0])) break;
        at = WORD.lastIndex;
        words++;
      }
      if (!words) continue;
      HOUSE_NUMBER.lastIndex = at;
      if (!HOUSE_NUMBER.exec(text)) continue;
      const end = HOUSE_NUMBER.lastIndex;
      if (followedByQuantity(text, end)) continue;
      yield { start: m.index!, end: withPostcode(text, end), kind: 'address' };
    }
  };

  const postcode: Detector = function* (text) {
    for (const m of text.matchAll(POSTCODE)) {
      const [, code, place] = m;
      // Not ordinary(): a city in keepWords ("Oslo") is exactly what follows a postcode.
      if (stops.has(place) || quantity.has(place)) continue;
      const before = wordBefore(text, m.index!);
      if (before && quantity.has(before.word)) continue;
      const end = m.index! + m[0].length;
      // Years 1900–2099 are postcodes too (2000 Lillestrøm): such a number counts only when a
      // capitalised place closes the clause, as in an address line, not "i 2023 Bergen kommune".
      const ok = YEAR_LIKE.test(code) ? isCapitalised(place) && END_OF_CLAUSE.test(text.slice(end, end + 3)) : isCapitalised(place) || code.startsWith('0');
      if (ok) yield { start: m.index!, end, kind: 'address' };
    }
  };

  // "adressen min er Grønlandsleiret 44": after an address word, any street name with a number.
  const announced: Detector = function* (text) {
    for (const m of text.matchAll(announcedBy)) {
      LEAD.lastIndex = m.index! + m[0].length;
      let at = LEAD.exec(text) ? LEAD.lastIndex : m.index! + m[0].length;
      let start = -1;
      let streetLike = false;
      for (let words = 0; words < MAX_NAME_WORDS + 1; words++) {
        WORD.lastIndex = at;
        const w = WORD.exec(text);
        if (!w || quantity.has(w[0])) break;
        // "my address is …", "adressen min er …": the little words before the street are kept.
        if (start < 0 && stops.has(w[0])) {
          SPACES.lastIndex = WORD.lastIndex;
          if (!SPACES.exec(text)) break;
          at = SPACES.lastIndex;
          continue;
        }
        if (start < 0) start = at;
        // A street name is capitalised or has a street ending, or a postcode follows the number;
        // "I live at my cousin's place 3 nights a week" is no address.
        streetLike ||= isCapitalised(w[0]) || endsInSuffix(w[0]);
        at = WORD.lastIndex;
        HOUSE_NUMBER.lastIndex = at;
        if (HOUSE_NUMBER.exec(text)) {
          const end = HOUSE_NUMBER.lastIndex;
          const full = withPostcode(text, end);
          if (!followedByQuantity(text, end) && (streetLike || full > end)) yield { start, end: full, kind: 'address' };
          break;
        }
        SPACES.lastIndex = at;
        if (!SPACES.exec(text)) break;
        at = SPACES.lastIndex;
      }
    }
  };

  return [street, prefixed, postcode, announced];
}
