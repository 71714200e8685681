import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/**
 * A PDF as a reader meets it, through Debian's tools: poppler-utils renders pages to images
 * (pdftoppm), reads their text and where each word is drawn (pdftotext), and Tesseract reads an
 * image back as text (OCR). jsQR decodes a QR code from the rendered pixels, as a phone camera would.
 */

function installed(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.error === undefined;
}

export const havePoppler = installed('pdftoppm', ['-v']) && installed('pdftotext', ['-v']) && installed('pdfinfo', ['-v']);

/** Tesseract with its Arabic model (Debian: tesseract-ocr, tesseract-ocr-ara). */
export const haveArabicOcr = (() => {
  const r = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  return r.error === undefined && `${r.stdout}${r.stderr}`.split(/\s+/).includes('ara');
})();

export function pageCount(file: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  if (!m) throw new Error(`pdfinfo found no page count in ${file}`);
  return Number(m[1]);
}

/** One page as a PNG file, at `dpi`. */
export function pagePng(file: string, page: number, dpi: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poster-page-'));
  const prefix = path.join(dir, 'page');
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-png', file, prefix]);
  return `${prefix}.png`;
}

/** Every page as a PNG file, at `dpi`, in page order: one pdftoppm for the whole file. */
export function pagePngs(file: string, dpi: number): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poster-pages-'));
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, path.join(dir, 'page')]);
  // pdftoppm pads the page numbers to the width of the last one: page-01.png … page-17.png.
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The text of the QR code in an image, or undefined when none can be read. */
export function decodeQr(png: string): string | undefined {
  const image = PNG.sync.read(fs.readFileSync(png));
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

/** Bidi controls pdftotext adds around right-to-left and embedded left-to-right text. */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * One page's text as pdftotext reads it, bidi controls removed and spaces collapsed. `-raw` keeps
 * each drawn line a line: without it pdftotext's column detection splits right-to-left lines.
 */
export function pageText(file: string, page: number): string {
  const text = execFileSync('pdftotext', ['-raw', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return text.replace(BIDI_CONTROLS, '').replace(/[ \t]+/g, ' ');
}

export interface DrawnWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
}

/** The words drawn on a page, each as its glyphs lie from left to right, with its box (pdftotext -bbox). */
export function pageWords(file: string, page: number): DrawnWord[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const entity = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    text: entity(m[4]),
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
  }));
}

/** What Tesseract reads in an image, in logical order, in the given languages ("ara", "ara+eng"). */
export function ocr(png: string, languages: string): string {
  return execFileSync('tesseract', [png, '-', '-l', languages], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
