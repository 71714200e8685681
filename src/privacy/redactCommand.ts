import { once } from 'events';
import { StringDecoder } from 'string_decoder';
import { redact } from './redact';

/**
 * `survey-bot redact`: reads UTF-8 text on `stdin` and writes it to `stdout` with personal data
 * replaced by placeholders, one line at a time, so an operator can check or clean text (for
 * example an older export) without it ever being held whole in memory. Every output line ends in
 * "\n"; CRLF input becomes LF. Resolves to the process exit code, 0.
 */
export async function redactCommand(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<number> {
  // A chunk may end inside a multi-byte character (Arabic and Persian digits are two bytes in
  // UTF-8), so bytes are decoded with a decoder that carries the partial character over.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const write = async (line: string) => {
    if (!stdout.write(`${redact(line)}\n`)) await once(stdout, 'drain');
  };
  const flushCompleteLines = async () => {
    const lines = pending.split(/\r\n|\n|\r(?!$)/);
    // The last part has no line break yet; a trailing "\r" may be half of a CRLF split across chunks.
    pending = lines.pop()!;
    for (const line of lines) await write(line);
  };
  for await (const chunk of stdin) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    await flushCompleteLines();
  }
  pending += decoder.end();
  await flushCompleteLines();
  if (pending !== '') await write(pending.replace(/\r$/, ''));
  return 0;
}
