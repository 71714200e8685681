/**
 * `npm run bench:redaction`: how fast redaction is, on the answers the project has written for its
 * tests (tests/fixtures/redaction-*.tsv and tests/fixtures/redaction-heldout/*.tsv when present)
 * and on long lines. Prints lines per second and microseconds per line (median of BENCH_ROUNDS
 * rounds, default 7), and the time to build a redactor (word lists and gazetteers compiled). Not a
 * test; numbers depend on the machine, so compare runs made on the same one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRedactor } from '../../src/privacy/redact';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const fixtures = path.join(__dirname, '..', 'fixtures');

/** The text column of every line of the files, items unwrapped ("[[name:Kari]]" → "Kari"). */
function corpusLines(files: string[]): string[] {
  const lines: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.tsv'))) {
    const rows = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .slice(1);
    // The text is the last column but one or the last: take the longest column with letters.
    for (const row of rows) {
      const cols = row.split('\t');
      const text = cols.reduce((a, b) => (b.length > a.length ? b : a), '');
      lines.push(text.replace(/\[\[\w+:(.*?)\]\]/g, '$1'));
    }
  }
  return lines;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const buildMs = time(() => createRedactor());
const redactor = createRedactor();
// The two corpora that predate the held-out set, so runs before and after it compare the same lines.
const lines = corpusLines(['redaction-clean.tsv', 'redaction-personal.tsv'].map((f) => path.join(fixtures, f)));
const heldoutDir = path.join(fixtures, 'redaction-heldout');
const heldout = fs.existsSync(heldoutDir) ? corpusLines(fs.readdirSync(heldoutDir).map((f) => path.join(heldoutDir, f))) : [];
const long = [
  'Jeg har bodd på hospits i 4 måneder, husleia er 12 500 kr og NAV sa vent. Vi fikk hjelp av Kari på kontoret. ',
  'اسمي أحمد ٩١٢٣٤٥٦٧ 01.02.2024 ساعدتني الموظفة في البلدية ',
].map((u) => u.repeat(Math.ceil(10_000 / u.length)).slice(0, 10_000));

// Warm up: compile patterns, fill inline caches.
for (let i = 0; i < 3; i++) for (const l of lines) redactor.redactText(l);

const corpusRounds: number[] = [];
const longRounds: number[] = [];
const heldoutRounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  corpusRounds.push(time(() => lines.forEach((l) => redactor.redactText(l))));
  longRounds.push(time(() => long.forEach((l) => redactor.redactText(l))));
  if (heldout.length) heldoutRounds.push(time(() => heldout.forEach((l) => redactor.redactText(l))));
}
const corpusMs = median(corpusRounds);
const longMs = median(longRounds);
console.log(`redactor built in ${buildMs.toFixed(1)} ms`);
console.log(
  `corpora (clean + personal): ${lines.length} lines in ${corpusMs.toFixed(1)} ms (median of ${ROUNDS}): ${((lines.length / corpusMs) * 1000).toFixed(0)} lines/s, ${((corpusMs / lines.length) * 1000).toFixed(0)} µs/line`,
);
if (heldout.length) {
  const ms = median(heldoutRounds);
  console.log(`held-out corpus: ${heldout.length} lines in ${ms.toFixed(1)} ms: ${((ms / heldout.length) * 1000).toFixed(0)} µs/line`);
}
console.log(`long lines: ${long.length} × 10 kB in ${longMs.toFixed(1)} ms: ${(longMs / long.length).toFixed(1)} ms per 10 kB line`);
