#!/usr/bin/env node
'use strict';
// The compiled CLI, built by `npm install` (postinstall) and `npm run build`: starting from
// dist/ serves in about a second (README, Measured), where compiling TypeScript first took 3.7 s.
let main;
try {
  ({ main } = require('../dist/src/cli.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]src[\\/]cli\.js/.test(String(err.message))) {
    process.stderr.write('survey-bot: the compiled bot is missing; run `npm run build` (npm install does it too)\n');
    process.exit(1);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // One line, no stack: start-up errors here are configuration or database problems.
    process.stderr.write(`survey-bot: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
