import { Lexicon } from './lexicon';
import { Detector } from './numbers';
import { keySet, wholePhrases } from './words';

/**
 * Identity documents and vehicles. Norwegian registration plates are two letters and four or five
 * digits ("AB 12345"; Statens vegvesen leaves out G, I, M, O, Q and Æ Ø Å so letters are not
 * misread). Passport and ID-card numbers are one to three letters glued to six to nine digits:
 * Norwegian and Polish passports (two letters, seven digits), the Polish ID card ("ABC123456"),
 * Ukrainian passports ("FE123456", and "МК 123456" in Cyrillic). A number after a document word
 * ("passnummer", "oppholdskort nr", "паспорт") is taken in any shape, which covers residence
 * cards and the all-digit passports of Lithuania and Russia.
 */

const PLATE = /(?<![\p{L}\p{M}\p{N}])([A-Za-z]{2})( ?)([1-9]\d{3,4})(?![\p{L}\p{M}\p{N}]|[.,]\d)/gu;
const PLATE_LETTERS = /^[ABCDEFHJKLNPRSTUVWXYZ]{2}$/;
const GLUED = /(?<![\p{L}\p{M}\p{N}])(\p{L}{1,3})( ?)(\d{6,9})(?![\p{L}\p{M}\p{N}]|[.,]\d)/gu;
// After a document word: optional "nr", "no.", "№", "number" or a colon, then up to three groups.
const NUMBER_WORD = / *(?:[:#№] *)?(?:(?:nr|no|num|nummer|number|numer|номер)\.? *:? *)?/iuy;
const TOKEN = /[\p{L}\p{N}]{1,12}/uy;
const TOKEN_GAP = /[ -]/y;
const MIN_DOCUMENT_DIGITS = 5;
const MAX_DOCUMENT_LETTERS = 4;

/** Detectors for a document number after its word, and for document and plate shapes anywhere. */
export function documentDetectors(lexicon: Lexicon): { announced: Detector; shaped: Detector[] } {
  const quantity = keySet(lexicon.lists.quantityWords);
  const keep = keySet(lexicon.lists.keepWords);
  const stops = keySet(lexicon.lists.nameStops);
  const notLetters = (letters: string) => quantity.has(letters) || keep.has(letters);
  const announcedBy = new RegExp(wholePhrases(lexicon.lists.documentWords), 'giu');

  const announced: Detector = function* (text) {
    for (const m of text.matchAll(announcedBy)) {
      NUMBER_WORD.lastIndex = m.index! + m[0].length;
      NUMBER_WORD.exec(text);
      let at = NUMBER_WORD.lastIndex;
      // "my passport number is …", "passnummeret mitt er …": one little word may come first.
      TOKEN.lastIndex = at;
      const little = TOKEN.exec(text);
      if (little && stops.has(little[0])) {
        TOKEN_GAP.lastIndex = TOKEN.lastIndex;
        if (TOKEN_GAP.exec(text)) at = TOKEN_GAP.lastIndex;
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
        // A group without digits counts only as a prefix in capitals ("FE 123456", "КН 123456").
        if (d === 0 && (n > 0 || t[0].length > 3 || t[0] !== t[0].toUpperCase())) break;
        digits += d;
        letters += t[0].length - d;
        end = TOKEN.lastIndex;
        TOKEN_GAP.lastIndex = end;
        if (!TOKEN_GAP.exec(text)) break;
        at = TOKEN_GAP.lastIndex;
      }
      if (digits >= MIN_DOCUMENT_DIGITS && letters <= MAX_DOCUMENT_LETTERS) yield { start, end, kind: 'document' };
    }
  };

  const glued: Detector = function* (text) {
    for (const m of text.matchAll(GLUED)) {
      const [, letters, space] = m;
      // With a space between, only capitals read as a document prefix ("FE 123456", not "nr 123456").
      if (space && letters !== letters.toUpperCase()) continue;
      if (notLetters(letters)) continue;
      yield { start: m.index!, end: m.index! + m[0].length, kind: 'document' };
    }
  };

  const plate: Detector = function* (text) {
    for (const m of text.matchAll(PLATE)) {
      const [, letters, space, digits] = m;
      const upper = letters === letters.toUpperCase();
      // Lower case only glued and with five digits ("ab12345"); a year after two capitals is a year.
      if (!upper && (space || digits.length < 5)) continue;
      if (!PLATE_LETTERS.test(letters.toUpperCase()) || notLetters(letters)) continue;
      if (digits.length === 4 && /^(?:19|20)/.test(digits)) continue;
      yield { start: m.index!, end: m.index! + m[0].length, kind: 'plate' };
    }
  };

  return { announced, shaped: [glued, plate] };
}
