/**
 * The parts of the `xliff` package (no type declarations of its own) that the translation
 * workflow uses: JavaScript objects to and from XLIFF 1.2 and 2.0.
 */
declare module 'xliff/jsToXliff12' {
  const jsToXliff12: (js: object) => Promise<string>;
  export default jsToXliff12;
}
declare module 'xliff/js2xliff' {
  const js2xliff: (js: object) => Promise<string>;
  export default js2xliff;
}
declare module 'xliff/xliff12ToJs' {
  const xliff12ToJs: (xml: string) => Promise<unknown>;
  export default xliff12ToJs;
}
declare module 'xliff/xliff2js' {
  const xliff2js: (xml: string) => Promise<unknown>;
  export default xliff2js;
}
