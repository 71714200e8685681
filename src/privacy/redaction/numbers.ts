import { Finding } from './kinds';

/**
 * Numbers that identify a person by their shape and check digits alone: Norwegian identity
 * numbers, the Polish PESEL, the Lithuanian personal code, the Thai ID, Norwegian bank accounts,
 * IBANs and Polish NRB accounts, and Norwegian phone numbers as Nkom's numbering plan defines
 * them. Foreign phone numbers in local format need the numbering plans of many countries and
 * live in phones.ts.
 */

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

const PESEL_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/**
 * The Polish PESEL (YYMMDD + serial + check, the month carrying the century as +20/+40/+60/+80).
 * Its date is year-first, so the Norwegian date test does not catch it; the check digit does.
 */
export function isValidPesel(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = PESEL_WEIGHTS.reduce((s, w, i) => s + w * d[i], 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return false;
  const month = Number(digits.slice(2, 4)) % 20;
  const day = Number(digits.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The Lithuanian personal code (asmens kodas): century and sex digit 1–6, YYMMDD, serial, and a
 * check digit computed with two weight rows (LST 1185).
 */
export function isValidLithuanianCode(digits: string): boolean {
  if (!/^[1-6]\d{10}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const rest = (w: number[]) => w.reduce((s, x, i) => s + x * d[i], 0) % 11;
  let r = rest([1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
  if (r === 10) r = rest([3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 10;
  const month = Number(digits.slice(3, 5));
  const day = Number(digits.slice(5, 7));
  return r === d[10] && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The Thai national identification number: 13 digits, the last a mod-11 check over the first twelve. */
export function isValidThaiId(digits: string): boolean {
  if (!/^[1-8]\d{12}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const sum = d.slice(0, 12).reduce((s, x, i) => s + x * (13 - i), 0);
  return (11 - (sum % 11)) % 10 === d[12];
}

const ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * The mod-11 check of an 11-digit Norwegian bank account number (bank code 4, account group 2,
 * customer number 4, check digit 1; the "kontonummer" standard of Bits/Finans Norge). A
 * remainder that would need the check digit 10 never occurs in an issued number.
 */
export function isValidAccountNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const r = 11 - (ACCOUNT_WEIGHTS.reduce((s, w, i) => s + w * d[i], 0) % 11);
  const check = r === 11 ? 0 : r;
  return check !== 10 && check === d[10];
}

// A separator inside a number as people type it: one space, dot or hyphen.
const S = '[ .\\-]';
// "00" is an international prefix only when it does not continue a number ("1 005 000").
export const NOT_AFTER_NUMBER = '(?<![\\d+]|\\d[ .,])';
// +47 / 0047 (Norway, and Svalbard) is followed by exactly eight digits in any grouping.
const NO_PHONE_PREFIXED = new RegExp(`${NOT_AFTER_NUMBER}\\(?(?:\\+|00) ?47\\)?(?:${S}?\\d){8}(?!\\d)`, 'g');
// Other countries, E.164: + or 00, then at most 15 digits in all, with optional grouping,
// parentheses around an area code and the British "(0)" (ITU-T E.123 notation). This is the net
// under libphonenumber (phones.ts): a prefixed number in a range its metadata does not know yet
// is still a phone number.
export const INTL_PHONE = new RegExp(`${NOT_AFTER_NUMBER}\\(?(?:\\+|00) ?[1-9](?:${S}?(?:\\(0\\) ?)?\\(?\\d\\)?){7,14}(?!\\d)`, 'g');
// Identity numbers as people type them: DDMMYY[ .-]NNNNN, DD.MM.YY NNNNN, DDMMYY NNN NN, DD/MM/YY-NNNNN.
const ID_NUMBER = /(?<![\d+])\d{2}[ ./-]?\d{2}[ ./-]?\d{2}[ .-]?\d{3}[ .]?\d{2}(?!\d)/g;
// The Thai ID as printed on the card: 1-2345-67890-12-3.
const THAI_ID = /(?<![\d+])\d[ -]?\d{4}[ -]?\d{5}[ -]?\d{2}[ -]?\d(?!\d)/g;
// A Norwegian account number grouped as printed on cards and invoices (4.2.5), or written as 11
// digits in a row. Grouped, the shape alone is enough (a typo in one digit still identifies the
// account); ungrouped, only a valid check digit tells an account from any other 11 digits.
const ACCOUNT_GROUPED = /(?<![\d+.])\d{4}([ .])\d{2}\1\d{5}(?![\d]|[.,]\d)/g;
const ACCOUNT_PLAIN = /(?<![\d+.,])\d{11}(?![\d]|[.,]\d)/g;
// IBAN (ISO 13616): country, two check digits, up to 30 letters and digits, in groups of four or
// not. Polish accounts (NRB) are IBANs without "PL": 26 digits, printed 2-4-4-4-4-4-4.
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/gu;
const NRB = /(?<![\d+])\d{2} ?\d{4} ?\d{4} ?\d{4} ?\d{4} ?\d{4} ?\d{4}(?!\d)/g;
// Norwegian subscriber numbers are eight digits starting with 2–9 (Nkom's numbering plan; 0 and
// 1 start no subscriber number), grouped 3-2-3 (mobile), 2-2-2-2 (landline) or 4-4. Any such run
// is redacted even when it could be an amount or a date ("25122023"), because privacy wins over
// the rare lost number; only a few kinds of range are let through (isRange).
const NO_PHONE = new RegExp(`(?<![\\d+])(?:[2-9]\\d{7}|[2-9]\\d{2}${S}\\d{2}${S}\\d{3}|[2-9]\\d(?:${S}\\d{2}){3}|[2-9]\\d{3}${S}\\d{4})(?!\\d)`, 'g');
const YEAR_RANGE = /^((?:19|20)\d\d)[ -]((?:19|20)\d\d)$/;
const PAIR_RANGE = /^\d\d\.\d\d-\d\d\.\d\d$/;
const AMOUNT_RANGE = /^(\d{4})-(\d{4})$/;

/**
 * Ranges respondents write about their housing that happen to have a phone number's shape: years
 * ("2019-2023", "2022 2023"), dates or clock times ("24.12-31.12", "20.00-22.00") and round rents
 * ("8000-9000"). Only these exact shapes pass; anything else with a phone's shape is redacted.
 */
export function isRange(m: string): boolean {
  const years = YEAR_RANGE.exec(m);
  if (years) {
    const [from, to] = [Number(years[1]), Number(years[2])];
    return to > from && to - from <= 30;
  }
  if (PAIR_RANGE.test(m)) return true;
  const amounts = AMOUNT_RANGE.exec(m);
  if (amounts) {
    const [from, to] = [Number(amounts[1]), Number(amounts[2])];
    return to > from && from % 50 === 0 && to % 50 === 0;
  }
  return false;
}

function isIdentityNumber(m: string): boolean {
  const digits = m.replace(/\D/g, '');
  return hasValidCheckDigits(digits) || isDateLike(digits) || isValidPesel(digits) || isValidLithuanianCode(digits);
}

/**
 * A detector: finds spans in the masked, folded text (earlier findings are masked out). `original`
 * is the same folded text before any masking, for detectors that judge the writing as a whole.
 */
export type Detector = (text: string, original?: string) => Iterable<Finding>;

/** A detector from one regular expression, with an optional test on each match. */
export function regexDetector(re: RegExp, kind: Finding['kind'], accept?: (match: string, text: string, index: number) => boolean): Detector {
  return function* (text) {
    for (const m of text.matchAll(re)) {
      if (accept && !accept(m[0], text, m.index!)) continue;
      yield { start: m.index!, end: m.index! + m[0].length, kind };
    }
  };
}

export const norwegianPrefixedPhone = regexDetector(NO_PHONE_PREFIXED, 'phone');
export const identityNumber: Detector[] = [
  regexDetector(ID_NUMBER, 'id', isIdentityNumber),
  regexDetector(THAI_ID, 'id', (m) => isValidThaiId(m.replace(/\D/g, ''))),
];
/** Account numbers in a shape no identity number has (4.2.5, IBAN, NRB): before identity numbers, which would take "1503.12.34562" for a date. */
export const groupedAccountNumber: Detector[] = [regexDetector(IBAN, 'account'), regexDetector(NRB, 'account'), regexDetector(ACCOUNT_GROUPED, 'account')];
/** Eleven digits in a row with a valid account check: after identity numbers, so a date-like run stays an <ID>. */
export const plainAccountNumber = regexDetector(ACCOUNT_PLAIN, 'account', (m) => isValidAccountNumber(m));
export const norwegianPhone = regexDetector(NO_PHONE, 'phone', (m) => !isRange(m));
export const internationalPhoneShape = regexDetector(INTL_PHONE, 'phone');
