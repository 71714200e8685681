import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * An external shuffle, so that an export of any size is written in random order in one pass over
 * the database and flat memory: each rendered row goes to one of a fixed number of temporary
 * files chosen at random, and each file is then shuffled in memory on its own. Random files and
 * random order within them give a uniformly random order overall.
 *
 * The files hold rendered rows only for the export's few seconds: no response id (the plan index
 * stands in for it), readable by this user alone, and deleted by {@link Spill.dispose} however
 * the export ends.
 */
export class Spill<T> {
  private readonly dir: string;
  private readonly fds: number[];
  private readonly buffers: string[];

  constructor(
    readonly files: number,
    private readonly random: () => number,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-export-'));
    this.fds = Array.from({ length: files }, (_, i) => fs.openSync(path.join(this.dir, String(i)), 'w', 0o600));
    this.buffers = new Array<string>(files).fill('');
  }

  put(record: T): void {
    const f = Math.floor(this.random() * this.files);
    this.buffers[f] += `${JSON.stringify(record)}\n`;
    if (this.buffers[f].length > 1 << 16) this.flush(f);
  }

  /** The records of one file, in random order. */
  *read(file: number): Iterable<T> {
    this.flush(file);
    const lines = fs.readFileSync(path.join(this.dir, String(file)), 'utf8').split('\n');
    lines.pop();
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    for (const line of lines) yield JSON.parse(line) as T;
  }

  dispose(): void {
    for (const fd of this.fds) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(file: number): void {
    if (this.buffers[file]) fs.writeSync(this.fds[file], this.buffers[file]);
    this.buffers[file] = '';
  }
}
