import { Locales, textOr } from '../language/i18n';
import { SurveyDefinition } from '../survey/definition';
import { AnalysisResult, BASELINE, Count, Gap, Proportion, SharesTest } from './analyze';

/**
 * The analysis as plain text for a terminal, in the analyst's language (nb or en, from
 * `locales/<lng>/analyst.json`). Percentages are rounded to whole numbers, gaps to percentage
 * points; the JSON output (`--json`) keeps full precision.
 *
 * @param ns the i18next namespace of the survey version's texts: the survey id for the files in
 *   `locales/`, `<id>@<version>` for a version read from the registry
 */
export function formatAnalysis(result: AnalysisResult, locales: Locales, lng: string, survey: SurveyDefinition, ns: string = survey.id): string {
  const shareSpecs = new Map((survey.analysis?.barriers ?? []).flatMap((b) => (b.kind === 'share' ? [[b.question, b] as const] : [])));
  const t = (key: string, vars: Record<string, unknown> = {}) => locales.i18n.t(`analyst:analysis.${key}`, { lng, ...vars }) as string;
  const label = (code: string) => textOr(locales, `${ns}:options.${code}.label`, lng, code);
  const questionText = (id: string) => textOr(locales, `${ns}:questions.${id}.text`, lng, id);
  const dot = t('suppressed');
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const prop = (p: Proportion) => ('suppressed' in p ? dot : `${pct(p.p)} (${pct(p.ci95[0])}–${pct(p.ci95[1])})`);
  const num = (c: Count) => (c === null ? dot : String(c));
  const pts = (x: number) => t('points', { value: `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}` });
  const gap = (g: Gap | undefined) => (!g ? '' : 'suppressed' in g ? dot : `${pts(g.diff)} (${pts(g.ci95[0])} … ${pts(g.ci95[1])})`);
  const test = (x: SharesTest | null) =>
    x
      ? t('test', {
          groups: x.groups,
          method: t(`methods.${x.method}`, { statistic: x.statistic?.toFixed(1), df: x.df, replicates: x.replicates }),
          p: x.p < 0.001 ? 'p < 0.001' : `p = ${x.p.toFixed(3)}`,
        })
      : t('test_none');
  const out: string[] = [];
  out.push(
    t('title', {
      by: result.by,
      k: result.k,
      status: t(`status_${result.status}`),
      responses: num(result.responses),
      baseline: t('baseline_words', { question: result.baseline.question, options: result.baseline.anyOf.join(', ') }),
    }),
    '',
  );
  for (const area of result.helpReceived) {
    // A top-level outcome's one table is named by its question; a block outcome's by the area.
    out.push(area.topLevel ? t('outcome', { question: area.area, label: questionText(area.area) }) : t('area', { area: area.area, label: label(area.area) }));
    const outcomes = Object.keys(area.rows[0]?.outcomes ?? {});
    const gaps = new Map(area.gaps.map((g) => [g.group, g.gap]));
    out.push(
      ...table([
        [t('group'), t('n'), ...outcomes.map(label), t('gap', { outcome: label(outcomes[0] ?? '') })],
        ...area.rows.map((r) => [r.group, num(r.n), ...outcomes.map((o) => prop(r.outcomes[o])), r.group === BASELINE ? '' : gap(gaps.get(r.group))]),
      ]),
      test(area.test),
      '',
    );
  }
  out.push(t('barriers'), '');
  for (const b of result.barriers) {
    if (b.kind === 'multi') {
      out.push(t('multi_of', { question: b.question }));
      const groups = b.options[0]?.rows.map((r) => r.group) ?? [];
      out.push(
        ...table([
          [t('group'), ...b.options.map((o) => label(o.option))],
          ...groups.map((g) => [g, ...b.options.map((o) => prop(o.rows.find((r) => r.group === g)?.share ?? { suppressed: true, reason: 'denominator' }))]),
        ]),
        '',
      );
      continue;
    }
    const gaps = new Map(b.gaps.map((g) => [g.group, g.gap]));
    if (b.kind === 'share') {
      const spec = shareSpecs.get(b.question);
      out.push(t('share_of', { question: b.question, positive: (spec?.positive ?? []).map(label).join(', ') }));
      out.push(
        ...table([
          [t('group'), t('n'), t('share'), t('gap_share')],
          ...b.rows.map((r) => [r.group, num(r.n), prop(r.share), r.group === BASELINE ? '' : gap(gaps.get(r.group))]),
        ]),
        test(b.test),
        '',
      );
    } else {
      out.push(t('scale_of', { question: b.question, low: b.low.join('–') }));
      const mean = (m: (typeof b.rows)[number]['mean']) => ('suppressed' in m ? dot : `${m.mean.toFixed(2)} (${m.ci95[0].toFixed(2)}–${m.ci95[1].toFixed(2)})`);
      out.push(...table([[t('group'), t('n'), t('low'), t('mean')], ...b.rows.map((r) => [r.group, num(r.n), prop(r.low), mean(r.mean)])]), test(b.test), '');
    }
  }
  out.push(t('comprehension'));
  out.push(
    ...table([
      ['', t('started'), t('switched'), t('fallback'), t('fallback_questions'), t('confused'), t('confirmed'), t('declined'), t('completed')],
      ...result.comprehension.map((c) => {
        const worst = c.notUnderstood.filter((q) => !('suppressed' in q.rate)).sort((a, b) => (b.rate as { p: number }).p - (a.rate as { p: number }).p)[0];
        const done = c.funnel[c.funnel.length - 1]?.reached;
        return [
          c.language,
          num(c.started),
          prop(c.switched),
          prop(c.fallbackResponses),
          prop(c.fallbackQuestions),
          worst ? `${worst.question} ${prop(worst.rate)}` : dot,
          prop(c.confirmed),
          prop(c.declined),
          done ? pct(done.p) : dot,
        ];
      }),
    ]),
    '',
  );
  // Per question and per funnel step, one column per language: shares only (the intervals are in --json).
  const languages = result.comprehension.map((c) => c.language);
  const share = (p: Proportion | null | undefined) => (!p || 'suppressed' in p ? dot : pct(p.p));
  const questions = [...new Set(result.comprehension.flatMap((c) => c.notUnderstood.map((q) => q.question)))];
  if (questions.length) {
    out.push(t('confused_by_question'));
    out.push(
      ...table([
        ['', ...languages],
        ...questions.map((q) => [q, ...result.comprehension.map((c) => share(c.notUnderstood.find((x) => x.question === q)?.rate))]),
      ]),
      '',
    );
  }
  const steps = result.comprehension[0]?.funnel.map((f) => f.step) ?? [];
  if (steps.length) {
    out.push(t('funnel'));
    out.push(
      ...table([['', ...languages], ...steps.map((step) => [step, ...result.comprehension.map((c) => share(c.funnel.find((f) => f.step === step)?.reached))])]),
      '',
    );
  }
  for (const c of result.completion) {
    out.push(t('completion', { by: c.by }));
    out.push(
      ...table([
        ['', t('completion_started'), t('completion_completed'), t('completion_rate')],
        ...[...c.rows, { ...c.total, group: t('completion_total') }].map((r) => [r.group, num(r.started), num(r.completed), prop(r.rate)]),
      ]),
      '',
    );
  }
  const s = result.suppression;
  out.push(t('suppression', { k: s.k, hidden: s.primary + s.secondary, cells: s.cells, primary: s.primary, secondary: s.secondary }));
  return `${out.join('\n')}\n`;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] + (cell.length - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}
