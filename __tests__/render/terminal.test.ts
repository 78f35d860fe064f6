import { colorEnabled, type ColorFlag, supportsUnicode } from '../../src/render/terminal';

describe('supportsUnicode: the first of LC_ALL, LC_CTYPE, LANG that is set decides', () => {
  test.each([
    [{}, true],
    [{ LANG: 'en_US.UTF-8' }, true],
    [{ LANG: 'de_DE.utf8' }, true],
    [{ LANG: 'C.UTF-8' }, true],
    [{ LANG: 'C' }, false],
    [{ LANG: 'POSIX' }, false],
    [{ LANG: 'en_US.ISO-8859-1' }, false],
    [{ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, false],
    [{ LC_ALL: 'en_US.UTF-8', LANG: 'C' }, true],
    [{ LC_CTYPE: 'en_US.UTF-8', LANG: 'C' }, true],
    [{ LC_CTYPE: 'C', LANG: 'en_US.UTF-8' }, false],
    [{ LC_ALL: '', LC_CTYPE: '', LANG: 'C' }, false], // empty counts as unset
    [{ LC_ALL: '', LANG: 'en_US.UTF-8' }, true],
  ])('%p → %p', (env, expected) => {
    expect(supportsUnicode(env)).toBe(expected);
  });
});

describe('colorEnabled: --color always|never|auto with NO_COLOR, FORCE_COLOR, TERM=dumb', () => {
  type Case = [ColorFlag, boolean, Record<string, string>, boolean];
  test.each<Case>([
    // auto: a terminal decides
    ['auto', true, {}, true],
    ['auto', false, {}, false],
    ['auto', true, { TERM: 'xterm-256color' }, true],
    // NO_COLOR (non-empty) and TERM=dumb turn it off on a terminal
    ['auto', true, { NO_COLOR: '1' }, false],
    ['auto', true, { NO_COLOR: '' }, true],
    ['auto', true, { TERM: 'dumb' }, false],
    // FORCE_COLOR turns it on, even when piped and over NO_COLOR or TERM=dumb
    ['auto', false, { FORCE_COLOR: '1' }, true],
    ['auto', false, { FORCE_COLOR: '' }, true],
    ['auto', false, { FORCE_COLOR: 'true' }, true],
    ['auto', false, { FORCE_COLOR: '3' }, true],
    ['auto', true, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['auto', false, { FORCE_COLOR: '1', TERM: 'dumb' }, true],
    // FORCE_COLOR=0 / false: off
    ['auto', true, { FORCE_COLOR: '0' }, false],
    ['auto', true, { FORCE_COLOR: 'false' }, false],
    ['auto', true, { FORCE_COLOR: 'FALSE' }, false],
    // always and never override everything
    ['always', false, {}, true],
    ['always', false, { NO_COLOR: '1', TERM: 'dumb', FORCE_COLOR: '0' }, true],
    ['never', true, {}, false],
    ['never', true, { FORCE_COLOR: '1' }, false],
  ])('--color %s, isTTY %p, env %p → %p', (flag, isTTY, env, expected) => {
    expect(colorEnabled({ flag, isTTY, env })).toBe(expected);
  });
});
