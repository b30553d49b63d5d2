// Terminal questions: a yes/no confirmation and a hidden password prompt. Never shown without a terminal.

import { createInterface } from 'node:readline';
import { GofleetError } from '../errors.ts';
import { safeTerminal } from '../report/safe-text.ts';

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Ask on the terminal; Ctrl-C at the prompt counts as no and is reported as 'interrupted'. */
export async function confirm(question: string): Promise<'yes' | 'no' | 'interrupted'> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise((resolve) => {
      rl.on('SIGINT', () => resolve('interrupted'));
      rl.on('close', () => resolve('interrupted'));
      rl.question(`${safeTerminal(question)} [y/N] `, (answer) => resolve(/^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no'));
    });
  } finally {
    rl.close();
  }
}

/** Read a secret from the terminal without echoing it. */
export async function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(safeTerminal(question));
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new GofleetError('INTERRUPTED', 'interrupted at the password prompt'));
            return;
          }
          value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode?.(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
