import { quoteWord, splitPartial, splitWords } from '../../src/cli/split';
import { UsageError } from '../../src/errors';

describe('splitWords: a REPL line read as a POSIX shell reads it', () => {
  test.each([
    ['softmax 2 1 0.1 -j', ['softmax', '2', '1', '0.1', '-j']],
    ['  relu\t-1   0  ', ['relu', '-1', '0']],
    ['grad "x^3" x=2', ['grad', 'x^3', 'x=2']],
    ["grad 'sum(z*w)' w=1,2,3", ['grad', 'sum(z*w)', 'w=1,2,3']],
    ['softmax "1 2; 3 4"', ['softmax', '1 2; 3 4']],
    // quotes join with what touches them, as in a shell
    ['grad x w="0.5 -1"', ['grad', 'x', 'w=0.5 -1']],
    ['a"b c"d', ['ab cd']],
    // double quotes: \" \\ \$ \` are escapes, any other backslash stays
    ['"a \\"q\\" \\\\ \\$x \\n"', ['a "q" \\ $x \\n']],
    // single quotes: everything literal, backslashes too
    ["'a \\\" b'", ['a \\" b']],
    // outside quotes a backslash escapes the next character
    ['relu @my\\ file.txt', ['relu', '@my file.txt']],
    ['x\\"y', ['x"y']],
    // empty quoted words are words
    ["grad '' \"\"", ['grad', '', '']],
    // nothing is expanded: $, ~, globs and brackets reach actgrad as typed
    ['grad $x ~/a *.txt [1,2]', ['grad', '$x', '~/a', '*.txt', '[1,2]']],
    // a word starting with # is a comment; # inside a word is not
    ['softmax 1 2 # the logits', ['softmax', '1', '2']],
    ['# only a comment', []],
    ['a#b "#c"', ['a#b', '#c']],
    ['', []],
    // a backslash at the very end has nothing to escape: it stays
    ['a\\', ['a\\']],
  ])('%j', (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  test.each([['grad "x^3 x=2', '"'], ["grad 'x", "'"]])('an unclosed quote is an input error: %j', (line, quote) => {
    expect(() => splitWords(line)).toThrow(UsageError);
    expect(() => splitWords(line)).toThrow(`unclosed ${quote} quote`);
  });
});

describe('splitPartial: the line up to the cursor, for Tab', () => {
  test('the word being typed, unquoted and as typed', () => {
    expect(splitPartial('softmax 1 --red')).toEqual({ words: ['softmax', '1'], current: '--red', currentRaw: '--red', openQuote: undefined });
    expect(splitPartial('relu @my\\ fi')).toMatchObject({ words: ['relu'], current: '@my fi', currentRaw: '@my\\ fi' });
  });
  test('after a blank the current word is empty', () => {
    expect(splitPartial('mse 1 --reduction ')).toMatchObject({ words: ['mse', '1', '--reduction'], current: '', currentRaw: '' });
  });
  test('an open quote is reported, not an error', () => {
    expect(splitPartial('grad "sum(z')).toMatchObject({ words: ['grad'], current: 'sum(z', currentRaw: '"sum(z', openQuote: '"' });
  });
});

describe('quoteWord', () => {
  test.each(['plain', '@my file.txt', 'a"b', "it's", 'back\\slash', '#hash', 'a#b', ''])('splitWords reads %j back', (word) => {
    expect(splitWords(quoteWord(word))).toEqual([word]);
  });
  test('leaves ordinary words alone', () => {
    expect(quoteWord('--reduction=mean')).toBe('--reduction=mean');
    expect(quoteWord('@data/x.txt')).toBe('@data/x.txt');
  });
});
