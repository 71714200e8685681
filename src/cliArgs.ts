/** The value after `name` in a command's arguments (`--out FILE`), if given. Every CLI command reads its options so. */
export function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
