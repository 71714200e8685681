import { once } from 'events';
import { StringDecoder } from 'string_decoder';
import { createRedactor, noRedactions, REDACTION_KINDS, RedactionKind, RedactionOptions, redactText } from './redact';

/** Counts as "name=1 phone=2", in the order of REDACTION_KINDS; "-" when nothing was replaced. */
export function formatKinds(kinds: Record<RedactionKind, number>): string {
  const parts = REDACTION_KINDS.filter((k) => kinds[k] > 0).map((k) => `${k}=${kinds[k]}`);
  return parts.length ? parts.join(' ') : '-';
}

/**
 * `survey-bot redact [--explain]`: reads UTF-8 text on `stdin` and writes it to `stdout` with
 * personal data replaced by placeholders, one line at a time, so an operator can check or clean
 * text (for example an older export) without it ever being held whole in memory. Every output
 * line ends in "\n"; CRLF input becomes LF.
 *
 * With `--explain` each line starts with what was replaced in it, by kind ("name=1 phone=2", or
 * "-"), and a tab; a total goes to `stderr`. Kinds and counts only: what was found is never shown.
 * Resolves to the process exit code: 0, or 2 for an unknown option.
 */
export async function redactCommand(
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  args: readonly string[] = [],
  options?: RedactionOptions,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const unknown = args.filter((a) => a !== '--explain');
  if (unknown.length) {
    stderr.write(`Unknown option ${unknown[0]}. Usage: survey-bot redact [--explain] < text\n`);
    return 2;
  }
  const explain = args.includes('--explain');
  const redactLine = options ? createRedactor(options).redactText : redactText;
  const total = noRedactions();
  let lines = 0;
  let withData = 0;
  // A chunk may end inside a multi-byte character (Arabic and Persian digits are two bytes in
  // UTF-8), so bytes are decoded with a decoder that carries the partial character over.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const write = async (line: string) => {
    const r = redactLine(line);
    lines++;
    if (REDACTION_KINDS.some((k) => r.kinds[k] > 0)) withData++;
    for (const k of REDACTION_KINDS) total[k] += r.kinds[k];
    const out = explain ? `${formatKinds(r.kinds)}\t${r.text}\n` : `${r.text}\n`;
    if (!stdout.write(out)) await once(stdout, 'drain');
  };
  const flushCompleteLines = async () => {
    const parts = pending.split(/\r\n|\n|\r(?!$)/);
    // The last part has no line break yet; a trailing "\r" may be half of a CRLF split across chunks.
    pending = parts.pop()!;
    for (const line of parts) await write(line);
  };
  for await (const chunk of stdin) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    await flushCompleteLines();
  }
  pending += decoder.end();
  await flushCompleteLines();
  if (pending !== '') await write(pending.replace(/\r$/, ''));
  if (explain) stderr.write(`${lines} line(s), ${withData} with personal data replaced: ${formatKinds(total)}\n`);
  return 0;
}
