import { CountryCode } from 'libphonenumber-js/max';
import { addressDetectors } from './addresses';
import { birthDateDetectors } from './dates';
import { documentDetectors } from './documents';
import { foldKeepingOffsets as fold } from '../../text/fold';
import { MASK } from './mask';
import { Gazetteer } from './gazetteer';
import { Finding, noRedactions, PLACEHOLDERS, RedactionKind } from './kinds';
import { Lexicon } from './lexicon';
import { email, links, spelledEmail } from './links';
import { nameDetectors } from './names';
import { personNameDetectors } from './personNames';
import { Detector, groupedAccountNumber, identityNumber, internationalPhoneShape, norwegianPhone, norwegianPrefixedPhone, plainAccountNumber } from './numbers';
import { phoneDetectors } from './phones';
import { referenceDetectors } from './references';

/** What one redaction did: the text with placeholders, and how many of each kind it replaced. */
export interface Redaction {
  text: string;
  kinds: Record<RedactionKind, number>;
}

export interface Redactor {
  redactText(text: string): Redaction;
}

export interface RedactorOptions {
  lexicon: Lexicon;
  /** The name lists of the evidence-based name detector (gazetteer.ts). */
  gazetteer: Gazetteer;
  /** Regions whose local phone formats are recognised, in the order tried. */
  phoneRegions: readonly CountryCode[];
}

/**
 * Builds a redactor: every pattern is compiled here, once, so redacting is only matching.
 *
 * Order matters: each detector sees the text with earlier findings masked out. E-mail (also
 * written out: "ola at example dot no") and links first (they hold digits and @), then numbers
 * with an international prefix (unambiguous), then account and identity numbers (11 digits and
 * more) before an 8-digit phone pattern could take part of one, then dates of birth, documents
 * announced by a word, Norwegian phone numbers, case and reference numbers announced by a word,
 * other countries' phone numbers, document and plate shapes, addresses, names after
 * introductions and in signatures, the names found by evidence (personNames.ts), which stop
 * at anything masked, and last full dates right after a name ("Adam, 12.03.2015").
 */
export function createRedactor(options: RedactorOptions): Redactor {
  const { lexicon } = options;
  const phones = phoneDetectors(lexicon, options.phoneRegions);
  const documents = documentDetectors(lexicon);
  const birthDates = birthDateDetectors(lexicon);
  const detectors: Detector[] = [
    email,
    spelledEmail(lexicon),
    ...links,
    norwegianPrefixedPhone,
    phones.prefixed,
    internationalPhoneShape,
    ...groupedAccountNumber,
    ...identityNumber,
    plainAccountNumber,
    birthDates.announced,
    documents.announced,
    norwegianPhone,
    ...referenceDetectors(lexicon),
    phones.national,
    ...documents.shaped,
    ...addressDetectors(lexicon),
    ...nameDetectors(lexicon),
    ...personNameDetectors(lexicon, options.gazetteer),
    birthDates.afterNames,
  ];

  return {
    redactText(text: string): Redaction {
      const kinds = noRedactions();
      if (text === '') return { text, kinds };
      const folded = fold(text);
      let masked = folded.text;
      const spans: { start: number; end: number; kind: RedactionKind }[] = [];
      for (const detect of detectors) {
        const found = disjoint([...detect(masked, folded.text)]);
        if (!found.length) continue;
        const parts: string[] = [];
        let at = 0;
        for (const f of found) {
          spans.push({ start: folded.start[f.start], end: folded.end[f.end - 1], kind: f.kind });
          parts.push(masked.slice(at, f.start), MASK.repeat(f.end - f.start));
          at = f.end;
        }
        masked = parts.join('') + masked.slice(at);
      }
      spans.sort((a, b) => a.start - b.start);
      const out: string[] = [];
      let at = 0;
      for (const span of spans) {
        // A later detector's match may reach into an earlier one's mask; one placeholder covers both.
        if (span.start < at) {
          at = Math.max(at, span.end);
          continue;
        }
        out.push(text.slice(at, span.start), PLACEHOLDERS[span.kind]);
        kinds[span.kind]++;
        at = span.end;
      }
      out.push(text.slice(at));
      return { text: out.join(''), kinds };
    },
  };
}

/** One detector's findings in order, without overlaps (the earlier one wins, the later is dropped) and never empty. */
function disjoint(found: Finding[]): Finding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of found) {
    if (f.end <= f.start) continue;
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      if (f.end > last.end) last.end = f.end;
      continue;
    }
    out.push({ ...f });
  }
  return out;
}
