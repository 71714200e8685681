import { Lexicon } from './lexicon';
import { Detector } from './numbers';
import { keySet, phraseFinder } from './words';

/**
 * Case and reference numbers after the words that introduce them in every locale
 * (`referenceWords`: "saksnummer", "sak nr.", "case number", "reference", "numer sprawy",
 * "номер дела", "رقم الملف", "شماره پرونده", "ቁጽሪ ፋይል"): a case number at NAV, the
 * municipality or Husbanken leads to one person as surely as a name. The number may be in any
 * shape people copy from a letter: "2023/45781", "24/01234-7", "HB-2024-118822", "HB 2024 77541",
 * "REF-24-55120", with up to two little words before it ("my reference is …", "saken min er …").
 *
 * It needs four digits or more, and is not taken when it is a year alone or is followed by a word
 * of quantity ("saken tok 2024 timer" is not a case number). Runs after the Norwegian phone rule,
 * which takes an eight-digit run first ("Saksnummer 45678912" → <PHONE>: replaced either way).
 */

const LEAD = /\.? *(?:[:#№] *)?(?:(?:nr|no|num|nummer|number|numer|номер|#|№)\.? *:? *)?/iuy;
const TOKEN = /[\p{L}\p{N}]+(?:[/.\-_][\p{L}\p{N}]+)*/uy;
const GAP = / +/y;
const LITTLE = /[\p{L}\p{M}'’]+/uy;
const MIN_DIGITS = 4;
// Four digits anywhere, whatever is between them: a text with fewer holds no reference.
const FOUR_DIGITS = /\d\D*\d\D*\d\D*\d/;
const MAX_LETTERS = 8;
const YEAR = /^(?:19|20)\d\d$/;
const FULL_DATE = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;
const NEXT_WORD = / *([\p{L}\p{M}][\p{L}\p{M}\p{N}²]*)/uy;

export function referenceDetectors(lexicon: Lexicon): Detector[] {
  const announcedBy = phraseFinder(lexicon.lists.referenceWords);
  const little = keySet(lexicon.lists.nameStops);
  const quantity = keySet(lexicon.lists.quantityWords);

  const detect: Detector = function* (text) {
    if (!FOUR_DIGITS.test(text)) return;
    for (const m of announcedBy(text)) {
      LEAD.lastIndex = m.end;
      LEAD.exec(text);
      let at = LEAD.lastIndex;
      // "my reference is …": up to two little words before the number.
      for (let n = 0; n < 2; n++) {
        LITTLE.lastIndex = at;
        const w = LITTLE.exec(text);
        if (!w || !little.has(w[0])) break;
        GAP.lastIndex = LITTLE.lastIndex;
        if (!GAP.exec(text)) break;
        at = GAP.lastIndex;
      }
      const start = at;
      let end = start;
      let digits = 0;
      let letters = 0;
      for (let n = 0; n < 3; n++) {
        TOKEN.lastIndex = at;
        const t = TOKEN.exec(text);
        if (!t) break;
        const d = t[0].replace(/\D/g, '').length;
        const l = t[0].replace(/[^\p{L}]/gu, '').length;
        // A group without digits only as a prefix in capitals ("HB 2024 77541"), a later one only with digits.
        if (d === 0 && (n > 0 || l > 4 || t[0] !== t[0].toUpperCase())) break;
        // A later group needs three digits: "2023/45781 2 barn" keeps the count.
        if (n > 0 && d < 3) break;
        digits += d;
        letters += l;
        end = TOKEN.lastIndex;
        GAP.lastIndex = end;
        if (!GAP.exec(text)) break;
        at = GAP.lastIndex;
      }
      const shown = text.slice(start, end);
      if (digits < MIN_DIGITS || letters > MAX_LETTERS || YEAR.test(shown) || FULL_DATE.test(shown)) continue;
      NEXT_WORD.lastIndex = end;
      const next = NEXT_WORD.exec(text);
      if (next && quantity.has(next[1])) continue;
      yield { start, end, kind: 'reference' };
    }
  };
  return [detect];
}
