import fs from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { engineRtl, reversed, visualRuns, wrappableWords } from '../text/visualOrder';
import { BASE_FAMILY, familyOfScript, findFamily, FONT_DIRS } from './posterFonts';

/** One poster page: everything it says, in one language, ready to draw. */
export interface PosterPage {
  lang: string;
  dir: 'ltr' | 'rtl';
  /** ISO 15924, from the locale's meta.json: which font the page is set in. */
  script: string;
  title: string;
  /** The invitation, one entry per line as the translation breaks it. */
  invitation: string[];
  /** The start link the QR code holds, printed under it. */
  link: string;
  /** The line that gives the SMS number, where the survey has one. */
  sms?: string;
}

// A4 in PostScript points.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const WIDTH = PAGE.width - 2 * MARGIN;
const QR_SIZE = 250;
/** Whole-run shaping: pdfkit lays out word by word unless features are given, which breaks right-to-left word order. */
const FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = ['kern'];

interface Face {
  name: string;
  font: fontkit.Font;
}

interface Segment {
  text: string;
  face: string;
}

/** The faces of one page: its script's family first, then the Latin one for links, numbers and names. */
interface PageFaces {
  regular: Face[];
  bold: Face[];
}

/**
 * A poster as a PDF: one A4 page per language with the survey's title, the invitation, a QR code
 * of the start link, the link itself and the SMS line. Text is laid out here, not by pdfkit's line
 * wrapper: each line goes through the bidirectional algorithm (src/text/visualOrder.ts) and is
 * drawn run by run, each run in the first font that has its characters.
 */
export async function renderPosters(pages: readonly PosterPage[], options: { fontDirs?: readonly string[]; title?: string } = {}): Promise<Buffer> {
  const dirs = options.fontDirs ?? FONT_DIRS;
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: options.title ?? 'Survey', Creator: 'survey-bot poster' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const faces = new Map<string, Face>();
  const faceOf = (file: string): Face => {
    let face = faces.get(file);
    if (!face) {
      face = { name: file, font: fontkit.create(fs.readFileSync(file)) as fontkit.Font };
      doc.registerFont(file, file);
      faces.set(file, face);
    }
    return face;
  };
  const pageFaces = (script: string): PageFaces => {
    const families = [familyOfScript(script), BASE_FAMILY].filter((f, i, all): f is string => f !== undefined && all.indexOf(f) === i);
    const pairs = families.map((f) => findFamily(f, dirs));
    return { regular: pairs.map((p) => faceOf(p.regular)), bold: pairs.map((p) => faceOf(p.bold)) };
  };

  for (const page of pages) {
    const f = pageFaces(page.script);
    doc.addPage({ size: 'A4', margin: 0 });
    const lines = new Lines(doc, page.dir);
    let y = MARGIN + 34;
    y = lines.paragraph(page.title, f.bold, 30, y, 3);
    y += 18;
    for (const line of page.invitation) y = lines.paragraph(line, f.regular, 17, y, 3) + 4;
    y += 20;
    const qrTop = Math.max(y, 330);
    drawQr(doc, page.link, (PAGE.width - QR_SIZE) / 2, qrTop, QR_SIZE);
    // The link reads left to right in every language.
    y = new Lines(doc, 'ltr', 'center').paragraph(page.link, f.regular.slice(-1), 13, qrTop + QR_SIZE + 26, 2);
    if (page.sms) lines.paragraph(page.sms, f.regular, 17, y + 30, 3);
  }
  doc.end();
  return done;
}

/** Draws one paragraph's lines: wrapped at spaces, smaller where a word alone is too wide, aligned to the start side. */
class Lines {
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly dir: 'ltr' | 'rtl',
    private readonly align: 'start' | 'center' = 'start',
  ) {}

  /** Draws `text` with its first baseline `size` below `top`; returns where the next line may start. */
  paragraph(text: string, faces: Face[], size: number, top: number, maxLines: number): number {
    let fontSize = size;
    let lines = this.wrap(text, faces, fontSize);
    // Too many lines, or a line with no space to break at that is too wide (Thai has no spaces
    // between words): the whole paragraph gets smaller, down to a size still legible on a wall.
    while (fontSize > 9 && (lines.length > maxLines || lines.some((l) => this.width(l, faces, fontSize) > WIDTH))) {
      fontSize -= 1;
      lines = this.wrap(text, faces, fontSize);
    }
    let baseline = top + fontSize;
    for (const line of lines) {
      this.draw(line, faces, fontSize, baseline);
      baseline += fontSize * 1.45;
    }
    return baseline - fontSize;
  }

  private wrap(text: string, faces: Face[], size: number): string[] {
    const words = wrappableWords(text);
    const lines: string[] = [];
    let current = '';
    for (const word of words) {
      const candidate = current ? `${current} ${word}` : word;
      if (current && this.width(candidate, faces, size) > WIDTH) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    if (current) lines.push(current);
    return lines;
  }

  private segments(line: string, faces: Face[]): Segment[] {
    return visualRuns(line, this.dir).flatMap((run) => byFace(run.text, faces, run.rtl));
  }

  private width(line: string, faces: Face[], size: number): number {
    return this.segments(line, faces).reduce((sum, s) => sum + this.doc.font(s.face).fontSize(size).widthOfString(s.text, { features: FEATURES }), 0);
  }

  private draw(line: string, faces: Face[], size: number, baseline: number): void {
    const segments = this.segments(line, faces);
    const widths = segments.map((s) => this.doc.font(s.face).fontSize(size).widthOfString(s.text, { features: FEATURES }));
    const total = widths.reduce((a, b) => a + b, 0);
    let x = this.align === 'center' ? (PAGE.width - total) / 2 : this.dir === 'rtl' ? PAGE.width - MARGIN - total : MARGIN;
    segments.forEach((s, i) => {
      this.doc.font(s.face).fontSize(size).text(s.text, x, baseline, { lineBreak: false, baseline: 'alphabetic', features: FEATURES });
      x += widths[i];
    });
  }
}

const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * A run split where it needs another font. Neutral characters (spaces, punctuation) stay in the
 * font they follow where it has them, so that a run is split only where it must be. The pieces of
 * a run the font engine reverses go right to left: they are returned in reverse, and a piece the
 * engine would not reverse (a dash the Arabic font lacks) is reversed here.
 */
function byFace(text: string, faces: Face[], rtl: boolean): Segment[] {
  const pieces: Segment[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = pieces.at(-1);
    const lastFace = last && faces.find((f) => f.name === last.face);
    if (last && lastFace && NEUTRAL.test(ch) && lastFace.font.hasGlyphForCodePoint(cp)) {
      last.text += ch;
      continue;
    }
    const face = (faces.find((f) => f.font.hasGlyphForCodePoint(cp)) ?? faces[0]).name;
    if (last && last.face === face) last.text += ch;
    else pieces.push({ text: ch, face });
  }
  if (!rtl || pieces.length < 2 || !engineRtl(text)) return pieces;
  return pieces.reverse().map((p) => (engineRtl(p.text) ? p : { ...p, text: reversed(p.text, true) }));
}

/** The QR code as filled squares (vector, so it prints sharp at any size), with its four-module quiet zone inside `size`. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 8);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      // A hair of overlap, so that no white seam shows between neighbouring squares.
      doc.rect(x + (start + 4) * cell, y + (row + 4) * cell, (col - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
