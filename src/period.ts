/**
 * ISO 8601 week ("2026-W48") of a date, in UTC. Responses carry this instead of a timestamp:
 * exact times let a respondent be singled out by anyone who knows when they wrote (LimeSurvey's
 * anonymised mode blanks the submit date for the same reason).
 */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Rounds a time up to the next whole hour, so stored expiries do not reveal the exact last message. */
export function ceilHour(date: Date): Date {
  const h = 3600 * 1000;
  return new Date(Math.ceil(date.getTime() / h) * h);
}

/** The start of the hour a time falls in: how the registry and the analyst tables keep times. */
export function floorHour(date: Date): Date {
  const d = new Date(date);
  d.setUTCMinutes(0, 0, 0);
  return d;
}
