import ts from 'typescript';

/**
 * Finds user-facing string literals in TypeScript source. Every word a respondent reads must come
 * from locales/, so in dialogs a string literal may only be: a module path, an i18n key, an
 * identifier (dialog, question or option id), or punctuation. Anything that reads like language —
 * several words, a capitalised word, non-ASCII letters, or a word that some locale uses as text or
 * keyword — is reported.
 */
export interface LiteralRules {
  /** Keys that exist in the locale files, with and without namespace ("bot:help.text", "consent.ask"). */
  keys: Set<string>;
  /** Every string value and keyword in every locale, lower-cased. */
  localeValues: Set<string>;
  /** Ids from the survey definition (options, questions, types) that code may name. */
  ids: Set<string>;
}

export function userFacingLiterals(fileName: string, source: string, rules: LiteralRules): { line: number; text: string }[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const found: { line: number; text: string }[] = [];
  const report = (node: ts.Node, text: string) => found.push({ line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });

  const isKey = (s: string) => rules.keys.has(s);
  const isKeyPrefix = (s: string) => s.length > 0 && [...rules.keys].some((k) => k.startsWith(s));
  const readsLikeLanguage = (s: string) => {
    if (!/\p{L}/u.test(s)) return false; // punctuation, digits, whitespace
    if (/\p{L}[\s]+\p{L}/u.test(s)) return true; // several words
    if ([...s].some((c) => c.codePointAt(0)! > 0x7f)) return true; // non-ASCII letters: no identifier here uses them
    if (/^[A-Z][a-z]/.test(s)) return true; // a capitalised word
    return rules.localeValues.has(s.toLowerCase().trim());
  };

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const s = node.text;
      const propertyName = ts.isPropertyAssignment(node.parent) && node.parent.name === node;
      if (!propertyName && !isKey(s) && !rules.ids.has(s) && readsLikeLanguage(s)) report(node, s);
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((sp) => sp.literal.text)];
      // `bot:reprompt.${reason}`: a key built from a known prefix is fine.
      if (!isKeyPrefix(node.head.text) || parts.slice(1).some((p) => readsLikeLanguage(p))) {
        for (const p of parts) if (readsLikeLanguage(p)) report(node, p);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
