import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The fonts a poster embeds, found on the machine at run time: Debian's Noto fonts
 * (`fonts-noto-core`), which cover every script of the locales. They are not shipped in the
 * repository (about 1 MB per script and weight, and Debian keeps them up to date).
 */

/** The Debian package that has every font below. */
export const FONT_PACKAGE = 'fonts-noto-core';

/** Where fontconfig looks on Debian (fonts.conf: the system, local and per-user folders). */
export const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', path.join(os.homedir(), '.local', 'share', 'fonts'), path.join(os.homedir(), '.fonts')];

export interface FontPair {
  regular: string;
  bold: string;
}

/** The font family for each script (ISO 15924, as locales/<tag>/meta.json `script` names it). */
const FAMILY_OF_SCRIPT: Record<string, string> = {
  Latn: 'NotoSans',
  Cyrl: 'NotoSans',
  // Naskh rather than Noto Sans Arabic: the book face readers of Arabic, Dari, Persian, Sorani,
  // Pashto and Urdu know from print, and the one OCR reads back best.
  Arab: 'NotoNaskhArabic',
  Ethi: 'NotoSansEthiopic',
  Thai: 'NotoSansThai',
};

/** The family that covers Latin letters, digits and the punctuation of links and numbers: every page falls back to it. */
export const BASE_FAMILY = 'NotoSans';

export class FontMissingError extends Error {
  override name = 'FontMissingError';
}

/** The family for a script, or undefined when the posters have none for it. */
export function familyOfScript(script: string): string | undefined {
  return FAMILY_OF_SCRIPT[script];
}

const found = new Map<string, string | undefined>();

function findFile(name: string, dirs: readonly string[]): string | undefined {
  const key = `${dirs.join(':')}/${name}`;
  if (found.has(key)) return found.get(key);
  let hit: string | undefined;
  const walk = (dir: string, depth: number) => {
    if (hit || depth > 6) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isFile() && e.name === name) hit = path.join(dir, e.name);
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
  };
  for (const dir of dirs) walk(dir, 0);
  found.set(key, hit);
  return hit;
}

/**
 * The regular and bold files of a family. A missing one is a clear error that names the
 * package to install, never a poster drawn in the wrong font or with empty boxes.
 */
export function findFamily(family: string, dirs: readonly string[] = FONT_DIRS): FontPair {
  const files = { regular: `${family}-Regular.ttf`, bold: `${family}-Bold.ttf` };
  const regular = findFile(files.regular, dirs);
  const bold = findFile(files.bold, dirs);
  if (!regular || !bold) {
    const missing = [regular ? undefined : files.regular, bold ? undefined : files.bold].filter(Boolean).join(' and ');
    throw new FontMissingError(
      `Posters need the font ${missing}, which is not in ${dirs.join(', ')}. Install Debian's ${FONT_PACKAGE} package: apt-get install ${FONT_PACKAGE}`,
    );
  }
  return { regular, bold };
}
