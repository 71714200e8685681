import { Refusal } from './refusal';

/** The parameters each route takes. Anything else is refused, so a typo is not silently ignored. */
export const PARAMETERS = {
  analysis: ['survey', 'version', 'by', 'area'],
  export: ['survey', 'format', 'labels', 'from', 'to', 'language', 'channel', 'status', 'version', 'bom', 'codebook_language'],
  codebook: ['survey', 'version', 'format', 'lang', 'history'],
  audit: ['limit', 'before'],
  none: [],
} as const;

const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** A value echoed in a message or the audit log, cut short: it comes from the client. */
export function shown(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/** The request's parameters for the audit log: names and values as sent, cut short, at most 16. */
export function parametersOf(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of [...query].slice(0, 16)) out[shown(name).slice(0, 32)] = shown(value);
  return out;
}

/** Refuses unknown and repeated parameters. */
export function expectParameters(query: URLSearchParams, allowed: readonly string[]): URLSearchParams {
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name))
      throw new Refusal(400, 'unknown_parameter', allowed.length ? 'unknown_parameter' : 'no_parameters', { name: shown(name), allowed: allowed.join(', ') });
    if (query.getAll(name).length > 1) throw new Refusal(400, 'repeated_parameter', 'repeated_parameter', { name: shown(name) });
  }
  return query;
}

export function choice<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], options: { required?: boolean } = {}): T | undefined {
  const value = query.get(name);
  if (value === null) {
    if (options.required) throw new Refusal(400, 'missing_parameter', 'missing_parameter', { name, allowed: allowed.join(', ') });
    return undefined;
  }
  if (!(allowed as readonly string[]).includes(value))
    throw new Refusal(400, 'bad_parameter', 'bad_choice', { name, allowed: allowed.join(', '), value: shown(value) });
  return value as T;
}

export function week(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!ISO_WEEK.test(value)) throw new Refusal(400, 'bad_parameter', 'bad_week', { name, value: shown(value) });
  return value;
}

export function wholeNumber(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const n = Number(value);
  if (!/^\d{1,16}$/.test(value) || n < min || n > max) throw new Refusal(400, 'bad_parameter', 'bad_number', { name, min, max, value: shown(value) });
  return n;
}
