// Shell-like word splitting for Ansible INI lines: whitespace separates words, '…' and "…"
// group (the quotes are removed), a `#` starting a word begins a comment.

export function splitWords(text: string, fail: (message: string) => never): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) word = (word ?? '') + text[++i];
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) fail(`unterminated ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}
