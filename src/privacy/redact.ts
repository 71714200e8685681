import { foldDigits } from '../survey/recognize';

/**
 * Redaction of personal data in free text, applied before anything is stored. Targets what
 * respondents in Norway typically type by mistake: national identity numbers (fødselsnummer,
 * D- and H-numbers), phone numbers and e-mail addresses, in ASCII, Arabic-Indic or Persian digits.
 * Ordinary numbers (years, rents, square metres, months) are left alone.
 */

export const PLACEHOLDER = { id: '<ID>', phone: '<PHONE>', email: '<EMAIL>' } as const;

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Mod-11 check digits of an 11-digit Norwegian identity number (fødselsnummer, D- or H-number). */
export function hasValidCheckDigits(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const check = (weights: number[]) => {
    const r = 11 - (weights.reduce((s, w, i) => s + w * d[i], 0) % 11);
    return r === 11 ? 0 : r;
  };
  return check(K1) === d[9] && check(K2) === d[10];
}

/**
 * Whether the first six digits read as a birth date: day 01–31 (D-number: +40), month 01–12
 * (H-number: +40; synthetic test numbers: +80). From 2032 new identity numbers no longer carry
 * mod-11 check digits in the same way (Skatteetaten's new scheme), so a date-like 11-digit run is
 * redacted even when its check fails.
 */
export function isDateLike(digits: string): boolean {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const dayOk = (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
  const monthOk = (month >= 1 && month <= 12) || (month >= 41 && month <= 52) || (month >= 81 && month <= 92);
  return dayOk && monthOk;
}

// Separators are allowed only where people put them: DDMMYY[ .-]NNNNN, DD.MM.YY NNNNN, DDMMYY NNN NN.
const ID_NUMBER = /(?<![\d+])\d{2}[ .]?\d{2}[ .]?\d{2}[ .-]?\d{3}[ .]?\d{2}(?!\d)/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// +47 / 0047 followed by eight digits in the usual groupings, or the eight digits alone.
const NO_PHONE = /(?<![\d+])(?:(?:\+|00)\s?47[ -]?)?(?:[2-9]\d{7}|[2-9]\d{2}[ -]\d{2}[ -]\d{3}|[2-9]\d(?:[ -]\d{2}){3}|[2-9]\d{3}[ -]\d{4})(?!\d)/g;
// Other countries, E.164 with optional grouping: + or 00, country code, 7–14 more digits.
const INTL_PHONE = /(?<!\d)(?:\+|00)[1-9](?:[ -]?\d){7,14}(?!\d)/g;

/** Replaces personal data in `text` with placeholders; everything else is kept as typed. */
export function redact(text: string): string {
  // Folding maps each digit to one ASCII digit of the same UTF-16 length, so match offsets found
  // in the folded copy are valid in the original, and the original script is kept elsewhere.
  let folded = foldDigits(text);
  let out = text;
  const replace = (re: RegExp, placeholder: string, accept: (m: string) => boolean = () => true) => {
    const spans: [number, number][] = [];
    for (const m of folded.matchAll(re)) if (accept(m[0])) spans.push([m.index!, m.index! + m[0].length]);
    for (const [s, e] of spans.reverse()) {
      out = out.slice(0, s) + placeholder + out.slice(e);
      folded = folded.slice(0, s) + placeholder + folded.slice(e);
    }
  };
  replace(EMAIL, PLACEHOLDER.email);
  replace(ID_NUMBER, PLACEHOLDER.id, (m) => {
    const digits = m.replace(/\D/g, '');
    return hasValidCheckDigits(digits) || isDateLike(digits);
  });
  replace(INTL_PHONE, PLACEHOLDER.phone);
  replace(NO_PHONE, PLACEHOLDER.phone);
  return out;
}
