#!/usr/bin/env node
'use strict';
// The compiled CLI; `npm install` builds it (postinstall), `npm start` rebuilds it first.
const { main } = require('../dist/src/cli.js');
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
