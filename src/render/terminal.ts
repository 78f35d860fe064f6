/**
 * What the terminal can show, decided from the environment the CLI passes in (nothing here reads
 * `process`): box-drawing characters or ASCII, colour or not.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether the locale's character set is UTF-8: the first of LC_ALL, LC_CTYPE, LANG that is set
 * and not empty decides (POSIX precedence; an empty variable counts as unset), and it must name
 * UTF-8 (`en_US.UTF-8`, `C.utf8`, any case). `C`, `POSIX`, `en_US.ISO-8859-1` → ASCII.
 * With none set: true. POSIX would say the C locale, but that is what containers and minimal
 * environments look like, and the terminal a person reads them in is UTF-8 nearly always; a
 * locale set on purpose is respected.
 */
export function supportsUnicode(env: Env): boolean {
  for (const name of ['LC_ALL', 'LC_CTYPE', 'LANG']) {
    const value = env[name];
    if (value) return /utf-?8/i.test(value);
  }
  return true;
}

export type ColorFlag = 'auto' | 'always' | 'never';

/**
 * The contract's `--color auto|always|never`. always/never decide alone. auto: FORCE_COLOR set
 * (empty included) turns colour on even when not on a terminal, unless it is `0` or `false`, which
 * turn it off (Node's and supports-color's reading); otherwise colour only on a terminal, and never
 * with NO_COLOR set to a non-empty value (no-color.org) or TERM=dumb.
 */
export function colorEnabled(options: { flag: ColorFlag; isTTY: boolean; env: Env }): boolean {
  const { flag, isTTY, env } = options;
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
