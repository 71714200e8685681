/**
 * `npm run measure:redaction [-- --split dev|test|both]`: recall and precision of redaction on the held-out
 * corpus (tests/fixtures/redaction-heldout), per locale, as a Markdown table to paste into the README.
 *
 * Recall: personal items replaced (none of their words left), of all items. Precision: ordinary lines returned
 * unchanged, of all ordinary lines. "other kind" counts replaced items reported under another kind than the
 * corpus says (a case number that looks like a phone number is replaced as <PHONE>); "lost words" counts words
 * around the items that went with them. Tune on dev only: the test half is for measuring.
 */
import { redactText } from '../../src/privacy/redact';
import { percent, score, Split } from '../helpers/redactionCorpus';

const arg = process.argv.indexOf('--split');
const which = arg >= 0 ? process.argv[arg + 1] : 'both';
const splits: Split[] = which === 'dev' ? ['dev'] : which === 'test' ? ['test'] : ['dev', 'test'];

for (const split of splits) {
  const scores = score(redactText, split);
  const langs = [...scores.keys()].filter((l) => l !== 'all');
  console.log(`\n${split} half\n`);
  console.log('| locale | items replaced (recall) | ordinary lines unchanged (precision) | other kind | lost words |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const lang of [...langs, 'all']) {
    const s = scores.get(lang)!;
    const name = lang === 'all' ? '**all**' : lang;
    console.log(
      `| ${name} | ${s.replaced} of ${s.items} (${percent(s.replaced, s.items)}) | ${s.ordinary - s.changed} of ${s.ordinary} (${percent(s.ordinary - s.changed, s.ordinary)}) | ${s.otherKind} | ${s.lostWords} |`,
    );
  }
}
