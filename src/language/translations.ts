/**
 * The native reviewer's round trip: `survey-bot translations export` writes every string of one
 * locale (key, English source, bokmål source, current text, provenance) as XLIFF or CSV for a
 * translation tool or a spreadsheet; `survey-bot translations import` reads the file back,
 * checks it exactly as the tests check the locale files (keys, interpolation variables, the SMS
 * budget, key terms, answers that two options would share), writes the texts, and marks each
 * changed or confirmed string reviewed by the reviewing organisation on that day. One file per
 * job, in src/language/review/.
 */
export * from './review/reviewUnits';
export * from './review/reviewFiles';
export * from './review/reviewImport';
export * from './review/reviewStatus';
