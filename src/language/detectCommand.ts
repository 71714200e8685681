import { once } from 'node:events';
import readline from 'node:readline';
import { UND, detectLanguage } from './detect';

/**
 * `survey-bot detect-language`: one message per input line, one tag (or "und") per output line,
 * in the same order, so a file of real first messages can be checked against what the bot
 * would guess (`paste messages.txt <(survey-bot detect-language < messages.txt)`).
 *
 * @returns the process exit code
 */
export async function detectLanguageCommand(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<number> {
  // crlfDelay: a file saved on Windows must not yield an empty line (→ an extra "und") per "\r\n".
  const lines = readline.createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const tag = line.trim() === '' ? UND : detectLanguage(line).tag;
    // Respect back-pressure so a large file piped into a slow consumer is not buffered whole.
    if (!stdout.write(`${tag}\n`)) await once(stdout, 'drain');
  }
  return 0;
}
