import fs from 'node:fs';
import { option } from '../cliArgs';
import { loadLocales } from '../language/i18n';
import { RegistryStore } from '../store/registryStore';
import { RegistryError, SurveyRegistry } from './surveyRegistry';
import { writeXlsForm } from './xlsForm';
import { readXlsForm } from './xlsFormRead';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const SURVEY_USAGE = `  survey list               every survey, one a line: its id, then its versions and their states
  survey import FILE.xlsx [--publish]
                            a spreadsheet (XLSForm-like, see README, Surveys) as a new draft version
  survey export ID [--version N] [--format xlsx] --out FILE.xlsx
                            a version (the current one by default) as a spreadsheet to edit
  survey publish ID [--version N]
                            new conversations start on it; running ones finish on their own version
  survey close ID           respondents who write are told, in their language, that it has ended
  survey sms-number NUMBER ID | survey sms-number NUMBER --remove
                            an SMS number (E.164, the one respondents write to) answers for a survey
`;

const E164 = /^\+[1-9]\d{6,14}$/;

function versionOption(args: string[], io: Io): number | undefined | null {
  const v = option(args, '--version');
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  io.stderr.write(`--version must be a version number, not "${v}"\n`);
  return null;
}

/** `survey-bot survey …`: the registry at the operator's command line (src/registry/surveyRegistry.ts). */
export async function surveyCommand(args: string[], store: RegistryStore, io: Io): Promise<number> {
  const locales = loadLocales();
  const registry = new SurveyRegistry(store, locales);
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'list': {
        await registry.syncBundled();
        const routes = await store.listSmsRoutes();
        for (const s of await registry.list()) {
          const versions = s.versions.map((v) => `v${v.version} ${v.state}${v.version === s.current ? ' (current)' : ''}`).join(', ');
          const numbers = routes.filter((r) => r.surveyId === s.id).map((r) => r.number);
          io.stdout.write(`${s.id}\t${versions}${numbers.length ? `\tsms ${numbers.join(' ')}` : ''}\n`);
        }
        return 0;
      }
      case 'import': {
        const file = rest[0];
        if (!file) break;
        const result = await readXlsForm(fs.readFileSync(file), loadLocales());
        if (!result.ok) {
          for (const p of result.problems) io.stderr.write(`${file}: sheet ${p.sheet}, row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.message}\n`);
          io.stderr.write(`${result.problems.length} problem(s); nothing was imported.\n`);
          return 1;
        }
        await registry.syncBundled();
        const { version, created } = await registry.importPackage(result.pkg);
        const id = result.pkg.definition.id;
        io.stdout.write(created ? `Imported ${id} v${version} as a draft.\n` : `No change: ${id} v${version} has exactly this content.\n`);
        if (rest.includes('--publish') && created) {
          await registry.publish(id, version);
          io.stdout.write(`Published ${id} v${version}: new conversations start on it.\n`);
        }
        return 0;
      }
      case 'export': {
        const id = rest[0];
        const out = option(rest, '--out');
        const format = option(rest, '--format') ?? 'xlsx';
        const version = versionOption(rest, io);
        if (!id || !out || version === null) break;
        if (format !== 'xlsx') {
          io.stderr.write(`--format must be xlsx, not "${format}"\n`);
          return 2;
        }
        await registry.syncBundled();
        const summary = (await registry.list()).find((s) => s.id === id);
        if (!summary) throw new RegistryError(`No survey ${id}.`);
        const v = version ?? summary.current ?? summary.versions.at(-1)!.version;
        const pkg = await registry.read(id, v);
        fs.writeFileSync(out, await writeXlsForm(pkg, locales));
        io.stdout.write(`Wrote ${id} v${v} to ${out}.\n`);
        return 0;
      }
      case 'publish': {
        const version = versionOption(rest, io);
        if (!rest[0] || version === null) break;
        const v = await registry.publish(rest[0], version);
        io.stdout.write(`Published ${rest[0]} v${v}: new conversations start on it; running ones finish on the version they started.\n`);
        return 0;
      }
      case 'close': {
        if (!rest[0]) break;
        const closed = await registry.close(rest[0]);
        io.stdout.write(closed.length ? `Closed ${rest[0]} (${closed.map((v) => `v${v}`).join(', ')}).\n` : `${rest[0]} was already closed.\n`);
        return 0;
      }
      case 'sms-number': {
        const [number, target] = rest;
        if (!number || !target) break;
        if (!E164.test(number)) {
          io.stderr.write(`"${number}" is not a phone number in E.164 form, such as +4759440000\n`);
          return 2;
        }
        if (target === '--remove') {
          await store.setSmsRoute(number, undefined);
          io.stdout.write(`SMS to ${number} now reach the default survey.\n`);
          return 0;
        }
        if (!(await registry.list()).some((s) => s.id === target)) throw new RegistryError(`No survey ${target}.`);
        await store.setSmsRoute(number, target);
        io.stdout.write(`SMS to ${number} now reach ${target}.\n`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof RegistryError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  io.stderr.write(`Usage:\n${SURVEY_USAGE}`);
  return 2;
}
