/**
 * What redaction can replace. Counts per kind are the only thing redaction ever reports, so
 * logs, the `redact --explain` command and export summaries can say "2 phone numbers" without
 * carrying the text.
 */
export const REDACTION_KINDS = ['name', 'address', 'phone', 'email', 'id', 'account', 'document', 'plate', 'url', 'handle', 'birthdate', 'reference'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/**
 * The placeholder each kind is replaced with. Angle brackets and capitals: no detector matches
 * them, so redacting twice changes nothing, and analysts reading free text see what was there.
 */
export const PLACEHOLDERS: Readonly<Record<RedactionKind, string>> = {
  name: '<NAME>',
  address: '<ADDRESS>',
  phone: '<PHONE>',
  email: '<EMAIL>',
  id: '<ID>',
  account: '<ACCOUNT>',
  document: '<DOCUMENT>',
  plate: '<PLATE>',
  url: '<URL>',
  handle: '<HANDLE>',
  birthdate: '<BIRTHDATE>',
  reference: '<REFERENCE>',
};

/** A zero count for every kind. */
export function noRedactions(): Record<RedactionKind, number> {
  return Object.fromEntries(REDACTION_KINDS.map((k) => [k, 0])) as Record<RedactionKind, number>;
}

/** A span of the folded text a detector wants replaced. */
export interface Finding {
  start: number;
  end: number;
  kind: RedactionKind;
}
