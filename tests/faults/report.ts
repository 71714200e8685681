import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Prints a fault test's figures (for the README's "Faults" table) and keeps them in
 * test-results/faults/<name>.json, so a CI run leaves them behind to compare with.
 */
export function report(name: string, figures: Record<string, unknown>): void {
  const dir = path.join(projectRoot, 'test-results', 'faults');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify({ name, at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  // One console.log, so Jest prints the block together.
  console.log(`[faults] ${name}\n${lines.join('\n')}`);
}

/** A status histogram as a plain object, sorted by status. */
export function histogram(m: Map<number | string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, v]) => [String(k), v]));
}

export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** A percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
