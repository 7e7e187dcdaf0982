import { describe, expect, it } from 'vitest';
import type { ExplainFacts } from '../../src/analysis/explain-facts.js';
import { VERDICT_KEYS, type VerdictKey } from '../../src/analysis/verdict-keys.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { explanationTemplate } from '../../src/render/explanations/catalogue.js';
import { writeExplanation } from '../../src/render/explanations/bytes.js';
import { explanationText } from '../../src/render/explanations/string.js';

/** Facts the sinks must word alike: packets known or not, lists of 0 to 3, long numbers, durations on both sides of 10 s. */
const FACTS: Array<Omit<ExplainFacts, 'closer' | 'other' | 'lastAckSeen'>> = [
  { port: 80, fin: 4, finAck: 5, peerFin: 6, peerFinAck: 7, rst: 8, data: [9], bytes: 3, stuckFor: 0.636 },
  { port: 0, data: [], bytes: 0, stuckFor: 0 },
  { port: 65535, fin: 1, rst: 2, data: [10, 11, 12], bytes: 1_234_567, stuckFor: 0.0005 },
  { port: 443, fin: 2 ** 31 + 5, finAck: 2 ** 32, peerFin: 2 ** 53 - 1, data: [2 ** 31, 7], bytes: 2 ** 40, stuckFor: 9.9995 },
  { port: 8080, peerFin: 3, peerFinAck: 900, data: [1, 2], bytes: 42, stuckFor: 12.34 },
  { port: 22, fin: 100, finAck: 101, data: [5], bytes: 1, stuckFor: 1234.56789 },
];

const LANGS = ['en', 'zh'] as const;
const SIDES = ['client', 'server'] as const;
const BOOLS = [false, true] as const;

const facts = (base: Omit<ExplainFacts, 'closer' | 'other' | 'lastAckSeen'>, closer: 'client' | 'server', lastAckSeen: boolean): ExplainFacts => ({
  ...base, closer, other: closer === 'client' ? 'server' : 'client', lastAckSeen,
});

describe('the explanation catalogue through its two sinks', () => {
  it('writes the same text as a string, as UTF-8 bytes and as a JSON string, for every verdict, language, closer, lastAckSeen and unsure', () => {
    let texts = 0;
    const out = new ByteLines();
    for (const keyNo of VERDICT_KEYS.keys()) {
      for (const lang of LANGS) {
        for (const closer of SIDES) {
          for (const lastAckSeen of BOOLS) {
            for (const unsure of BOOLS) {
              for (const base of FACTS) {
                const f = facts(base, closer, lastAckSeen);
                const at = `${VERDICT_KEYS[keyNo]} ${lang} ${closer} lastAckSeen=${lastAckSeen} unsure=${unsure}`;
                const text = explanationText(keyNo, f, lang, unsure);
                writeExplanation(out, keyNo, f, lang, unsure, 'text');
                expect(out.take().toString('utf8'), at).toBe(text);
                writeExplanation(out, keyNo, f, lang, unsure, 'json');
                const json = out.take().toString('utf8');
                expect(JSON.parse(json), at).toBe(text);
                expect(json, at).toBe(JSON.stringify(text));
                texts++;
              }
            }
          }
        }
      }
    }
    expect(texts).toBe(VERDICT_KEYS.length * LANGS.length * SIDES.length * 2 * 2 * FACTS.length);
  });

  it('settles every condition: no slot or branch is left in the words', () => {
    for (const keyNo of VERDICT_KEYS.keys())
      for (const lang of LANGS)
        for (const closer of SIDES)
          for (const lastAckSeen of BOOLS)
            for (const unsure of BOOLS) {
              const { literals, slots } = explanationTemplate(keyNo, lang, closer, lastAckSeen, unsure);
              expect(literals.length).toBe(slots.length + 1);
              for (const literal of literals) expect(literal).not.toMatch(/undefined|\[object|\$\{/);
            }
  });

  it('reads as written (golden strings)', () => {
    const base = { port: 80, fin: 4, finAck: 5, peerFin: 6, peerFinAck: 7, rst: 8, data: [9, 10], bytes: 3, stuckFor: 0.636 };
    const cases: Array<[VerdictKey, 'en' | 'zh', 'client' | 'server', boolean, boolean, Omit<ExplainFacts, 'closer' | 'other' | 'lastAckSeen'>, string]> = [
      ['rst-after-close/data-after-close', 'en', 'server', false, false, base,
        "The server called close() (FIN #4); the client's 3-byte reply (#9, #10) reached a closed socket and the server's kernel answered RST (#8). Use shutdown(SHUT_WR) to keep receiving."],
      ['graceful/three-way', 'zh', 'client', false, false, base,
        '客户端先关闭（FIN #4）；服务器的 FIN（#6）同时确认了它；最后的 ACK 没有被捕获：三次挥手，双方都调用了 close() 或 shutdown()。'],
      ['graceful/four-way', 'en', 'client', true, false, base,
        'The client closed first (FIN #4, ACK #5); the server closed later (FIN #6, ACK #7): the textbook four-way close.'],
      ['stuck/fin-wait-1', 'en', 'client', false, true, { ...base, finAck: undefined },
        'The client sent FIN (#4) but no ACK of it was captured: it sat in FIN_WAIT_1 for 0.636 s until the capture ended. The server may be gone or unreachable, or the capture missed its packets. The capture ended only 0.636 s later: too soon to tell a stuck socket from a close still under way.'],
      ['stuck/close-wait', 'zh', 'server', false, true, { ...base, stuckFor: 0.0005 },
        '服务器已关闭（FIN #4，ACK #5），但客户端一直没有关闭套接字：它停在 CLOSE_WAIT，服务器停在 FIN_WAIT_2，直到抓包结束共 0.001 s。客户端的应用在 recv() 返回 0 之后没有调用 close()。抓包在 0.001 s 后就结束了：时间太短，无法区分卡住的套接字和仍在进行的关闭。'],
      ['half-close/-', 'zh', 'server', true, false, base,
        '服务器调用 shutdown(SHUT_WR)（FIN #4）后继续读取：客户端在该 FIN 到达后又发送了 3 字节（#9, #10），然后关闭自己一方（FIN #6）。两个方向都正常关闭。'],
      ['refused/-', 'en', 'server', false, false, { ...base, rst: undefined, port: 443 },
        "The client's connect() was refused: the server's kernel answered the SYN with RST (#?) because no socket was listening on port 443. connect() fails with ECONNREFUSED."],
    ];
    for (const [key, lang, closer, lastAckSeen, unsure, base, golden] of cases) {
      expect(explanationText(VERDICT_KEYS.indexOf(key), facts(base, closer, lastAckSeen), lang, unsure), key).toBe(golden);
    }
  });
});
