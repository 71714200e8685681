import { AnswerIs, Condition } from '../survey/definition';

/**
 * XLSForm's `relevant` expressions, the subset a survey's conditions need, and back:
 *
 *   ${q} = 'code'            the answer to q is code (select_one, yes/no)
 *   ${q} != 'code'           it is not
 *   selected(${q}, 'code')   a select_multiple answer includes code
 *   A and B, A or B, not(A), (A)
 *
 * An `or` of tests of one question is one condition with several codes (`anyOf`), which is also
 * how such a condition is written out, so export and import give back the same definition.
 */

export class RelevantError extends Error {
  override name = 'RelevantError';
}

type Token = { kind: 'ref' | 'string' | 'word' | 'op' | 'paren' | 'comma'; text: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\$\{([a-z][a-z0-9_]*)\})|'([^']*)'|"([^"]*)"|([A-Za-z][A-Za-z0-9_-]*)|(!=|=)|([()])|(,))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) throw new RelevantError(`cannot read "${source.slice(at).trim().slice(0, 20)}"`);
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1]) tokens.push({ kind: 'ref', text: m[2], at: start });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: 'string', text: m[3] ?? m[4], at: start });
    else if (m[5]) tokens.push({ kind: 'word', text: m[5], at: start });
    else if (m[6]) tokens.push({ kind: 'op', text: m[6], at: start });
    else if (m[7]) tokens.push({ kind: 'paren', text: m[7], at: start });
    else tokens.push({ kind: 'comma', text: ',', at: start });
    at = re.lastIndex;
  }
  return tokens;
}

/** The question ids an expression names, in order (to check they are earlier questions). */
export function relevantRefs(source: string): string[] {
  return tokenize(source)
    .filter((t) => t.kind === 'ref')
    .map((t) => t.text);
}

/** Reads a `relevant` expression; throws {@link RelevantError} saying what is wrong. */
export function parseRelevant(source: string): Condition {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const take = (kind: Token['kind'], text?: string): Token => {
    const t = tokens[i];
    if (!t || t.kind !== kind || (text !== undefined && t.text !== text))
      throw new RelevantError(`expected ${text ? `"${text}"` : kind} ${t ? `at "${source.slice(t.at, t.at + 15)}"` : 'at the end'}`);
    i++;
    return t;
  };
  const isWord = (w: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === w;

  const or = (): Condition => {
    const parts = [and()];
    while (isWord('or')) {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0] : merged(parts);
  };
  const and = (): Condition => {
    const parts = [unary()];
    while (isWord('and')) {
      i++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0] : { all: parts };
  };
  const unary = (): Condition => {
    if (isWord('not')) {
      i++;
      take('paren', '(');
      const inner = or();
      take('paren', ')');
      return { not: inner };
    }
    if (isWord('selected')) {
      i++;
      take('paren', '(');
      const question = take('ref').text;
      take('comma');
      const code = take('string').text;
      take('paren', ')');
      return { question, anyOf: [code] };
    }
    if (peek()?.kind === 'paren' && peek().text === '(') {
      i++;
      const inner = or();
      take('paren', ')');
      return inner;
    }
    const question = take('ref').text;
    const op = take('op').text;
    const code = take('string').text;
    const test: AnswerIs = { question, anyOf: [code] };
    return op === '=' ? test : { not: test };
  };

  if (!tokens.length) throw new RelevantError('is empty');
  const condition = or();
  if (i < tokens.length) throw new RelevantError(`unexpected "${source.slice(tokens[i].at, tokens[i].at + 15)}"`);
  return condition;
}

/** `a or b` where both test the same question is one test with both codes. */
function merged(parts: Condition[]): Condition {
  const out: Condition[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && 'question' in last && 'question' in p && last.question === p.question)
      out[out.length - 1] = { question: p.question, anyOf: [...last.anyOf, ...p.anyOf] };
    else out.push(p);
  }
  return out.length === 1 ? out[0] : { any: out };
}

/**
 * Writes a condition as a `relevant` expression. `multi` says which questions are
 * select_multiple, whose tests are written `selected(...)`.
 */
export function formatRelevant(c: Condition, multi: ReadonlySet<string>, nested = false): string {
  const wrap = (s: string) => (nested ? `(${s})` : s);
  if ('question' in c) {
    const one = (code: string) => (multi.has(c.question) ? `selected(\${${c.question}}, '${code}')` : `\${${c.question}} = '${code}'`);
    return c.anyOf.length === 1 ? one(c.anyOf[0]) : wrap(c.anyOf.map(one).join(' or '));
  }
  if ('not' in c) {
    const inner = c.not;
    if ('question' in inner && inner.anyOf.length === 1 && !multi.has(inner.question)) return `\${${inner.question}} != '${inner.anyOf[0]}'`;
    return `not(${formatRelevant(inner, multi)})`;
  }
  if ('all' in c) return wrap(c.all.map((x) => formatRelevant(x, multi, true)).join(' and '));
  return wrap(c.any.map((x) => formatRelevant(x, multi, true)).join(' or '));
}
