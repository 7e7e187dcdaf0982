import { describe, expect, it } from 'vitest';
import { HELP_WORDS } from '../../src/cli/help-words.js';
import { defaultLang, langOf } from '../../src/cli/lang.js';
import { MESSAGES, holesOf, message } from '../../src/cli/messages.js';

/** Has a Chinese character: a zh text that is not English left as it was. */
const HAN = /\p{Script=Han}/u;

describe('the one-line errors and the help in each language (cli/messages.ts, help-words.ts)', () => {
  it('every message has both languages and the same holes, each once', () => {
    for (const [id, m] of Object.entries(MESSAGES)) {
      expect(m.en, id).not.toBe('');
      expect(m.zh, id).not.toBe('');
      expect(holesOf(m.zh).sort(), id).toEqual(holesOf(m.en).sort());
      if (id !== 'asIs' && id !== 'badExpectation') expect(m.zh, id).toMatch(HAN);
    }
  });

  it('every help text has both languages, the Chinese in Chinese', () => {
    for (const [id, h] of Object.entries(HELP_WORDS)) {
      expect(h.en, id).not.toBe('');
      expect(h.zh, id).toMatch(HAN);
    }
  });

  it('fills the holes, and a message in a hole in the same language', () => {
    const m = message('willNotWrite', { path: 'x.expect.json', why: message('itIsKind', { kind: message('aFifo') }) });
    expect(m('en')).toBe('will not write x.expect.json: it is a FIFO, not a regular file');
    expect(m('zh')).toBe('不会写入 x.expect.json：它是命名管道（FIFO），不是普通文件');
    expect(message('countNotWhole', { value: '{value}' })('en')).toBe('--count must be a whole number of packets above 0, not {value}');
  });

  it('the language: --lang as typed, else LC_ALL, LC_MESSAGES, LANG, the first set', () => {
    expect(defaultLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(defaultLang({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(defaultLang({ LANG: 'C.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8' })).toBe('zh');
    expect(defaultLang({ LANG: 'en_US.UTF-8', LC_ALL: '' , LC_MESSAGES: 'zh_CN' })).toBe('zh');
    expect(defaultLang({})).toBe('en');
    expect(langOf(['analyze', 'x', '--lang', 'zh'], {})).toBe('zh');
    expect(langOf(['--lang=zh', 'analyze'], {})).toBe('zh');
    expect(langOf(['analyze', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(langOf(['analyze', 'x', '--', '--lang', 'zh'], {})).toBe('en');
    expect(langOf(['analyze', '--lang', 'fr'], { LANG: 'zh_CN' })).toBe('zh');
  });
});
