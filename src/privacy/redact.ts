/**
 * Redaction of personal data in free text: the one pipeline used when an answer is captured, when
 * a Direct Line echo waits in the outbox, and again before anything is exported. The consent text
 * and the line under every free-text question ask respondents not to write names or personal
 * numbers; this is the safety net for when they do, so that the answers tables stay anonymous
 * (GDPR recital 26) rather than merely pseudonymous. Where something is ambiguous, privacy wins:
 * it is redacted.
 *
 * What is replaced, in any decimal digit script (ASCII, Arabic-Indic, Persian, …):
 * - names after a self-introduction or in a closing signature, in all seventeen languages
 *   (`locales/<lng>/redaction.json`), and names anywhere in the text found by evidence: the name
 *   lists of `src/privacy/redaction/namelists` (given and family names of Norway and the respondents'
 *   countries of origin, in native script and transliteration), a capital in the middle of a
 *   sentence, a person word before it ("saksbehandler", "my son", "الموظفة") and a second name
 *   next to it (redaction/personNames.ts) → `<NAME>`;
 * - street addresses and postcodes with a place → `<ADDRESS>`;
 * - phone numbers: Norwegian by Nkom's plan, others by libphonenumber-js in the configured
 *   regions, with or without a country prefix → `<PHONE>`;
 * - e-mail addresses, also written out ("ola at example dot no", "ola krøllalfa example punktum
 *   no") → `<EMAIL>`; links with a path or query → `<URL>`; @handles → `<HANDLE>`;
 * - Norwegian identity numbers (fødselsnummer, D-, H-numbers) and PESEL → `<ID>`; bank accounts
 *   and IBANs → `<ACCOUNT>`; passport and ID-card numbers → `<DOCUMENT>`; registration plates →
 *   `<PLATE>`;
 * - dates of birth announced by a birth word ("født 12.03.1985", "born in 1985", "مواليد ١٩٧٩")
 *   or written right after a name → `<BIRTHDATE>`;
 * - case and reference numbers after the words that introduce them ("saksnummer 2023/45781",
 *   "case no. 12345", "رقم الملف …") → `<REFERENCE>`.
 *
 * Ordinary numbers (years, rents, square metres, months, prices, dates that are no birth date),
 * place names ("Bergen"), institutions ("NAV", "Husbanken", "Bergen kommune") and names that are
 * also ordinary words where nothing else says they are names ("Hope", أمل "hope") are left alone.
 *
 * Callers learn what was replaced by kind and count only ({@link redactText}); neither the text
 * nor what was found may be logged.
 */
import { CountryCode } from 'libphonenumber-js/max';
import { PLACEHOLDERS, RedactionKind } from './redaction/kinds';
import { defaultGazetteer, Gazetteer } from './redaction/gazetteer';
import { defaultLexicon, Lexicon } from './redaction/lexicon';
import { phoneRegions } from './redaction/phones';
import { createRedactor as build, Redaction, Redactor } from './redaction/pipeline';

export { hasValidCheckDigits, isDateLike, isValidAccountNumber, isValidPesel } from './redaction/numbers';
export { noRedactions, PLACEHOLDERS, REDACTION_KINDS } from './redaction/kinds';
export type { RedactionKind } from './redaction/kinds';
export type { Redaction, Redactor } from './redaction/pipeline';

/** The placeholders, by kind. Kept under its first name for callers of the number-only version. */
export const PLACEHOLDER: Readonly<Record<RedactionKind, string>> = PLACEHOLDERS;

/** How redaction is set up; from `config.redaction` (REDACT_PHONE_REGIONS). */
export interface RedactionOptions {
  /**
   * ISO 3166 regions whose local phone formats are recognised, in the order tried. Undefined:
   * Norway, then every locale's `phoneRegions` (meta.json) in menu order.
   */
  phoneRegions?: readonly string[];
  /** The word lists; the project's own locales when undefined (tests pass their own). */
  lexicon?: Lexicon;
  /** The name lists; the project's own (src/privacy/redaction/namelists) when undefined. */
  gazetteer?: Gazetteer;
}

/**
 * Builds a redactor with its own options; every pattern is compiled once, here. Throws when a
 * phone region is not an ISO 3166 code libphonenumber knows.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const lexicon = options.lexicon ?? defaultLexicon();
  const regions: CountryCode[] = phoneRegions(options.phoneRegions ?? lexicon.phoneRegions);
  return build({ lexicon, gazetteer: options.gazetteer ?? defaultGazetteer(), phoneRegions: regions });
}

let options: RedactionOptions = {};
let configured: Redactor | undefined;
// Built on first use, so a command that never redacts never reads the word lists.
const current = () => (configured ??= createRedactor(options));

/**
 * Sets the options every {@link redactText} and {@link redact} call in this process uses. The CLI
 * calls it with `config.redaction` as soon as the environment is parsed; until then (tests,
 * scripts) the defaults apply. Process-wide on purpose: redaction must not differ between the
 * answer stored, the echo in the outbox and the export.
 */
export function configureRedaction(next: RedactionOptions): void {
  options = next;
  configured = undefined;
}

/**
 * Replaces personal data in `text` with placeholders (`<NAME>`, `<PHONE>`, …, see
 * {@link PLACEHOLDERS}) and says how many of each kind it replaced. Everything else is kept
 * exactly as typed, bidi marks and digit script included. Idempotent: placeholders are never
 * matched again. Linear in the length of the text.
 *
 * This is the function to call before export: `redactText(answer).text` is safe to publish as
 * far as this module can tell, and `kinds` may be summed and reported (never the text).
 *
 * @example redactText('Jeg heter Kari, ring 912 34 567') // { text: 'Jeg heter <NAME>, ring <PHONE>', kinds: { name: 1, phone: 1, … } }
 */
export function redactText(text: string): Redaction {
  return current().redactText(text);
}

/** {@link redactText} for callers that need only the text. */
export function redact(text: string): string {
  return current().redactText(text).text;
}
