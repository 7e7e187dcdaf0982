/**
 * The names of a verdict's parts in each language (docs/contract.md, "Classes", `--lang`): the
 * classes and details, the sides a verdict names, the handshake. JSON keeps the ids (`half-close`,
 * `client`); text and HTML show these names, and in Chinese the ids beside them, so that a reader
 * can find the class in docs/verdicts.md. In English the name is the id.
 */
import type { TeardownClass, TeardownDetail, Who } from '../analysis/verdict-keys.js';
import type { Lang } from './notes.js';

type Handshake = 'complete' | 'partial' | 'none';

interface Names {
  classes: Record<TeardownClass, string>;
  details: Record<TeardownDetail, string>;
  sides: Record<'client' | 'server' | 'both' | 'path', string>;
  handshakes: Record<Handshake, string>;
}

const ZH: Names = {
  classes: {
    'refused': '连接被拒绝',
    'unanswered': '无应答',
    'rst-after-close': '关闭后被重置',
    'abort': '中止',
    'half-close': '半关闭',
    'graceful': '正常关闭',
    'stuck': '关闭卡住',
    'open': '未关闭',
  },
  details: {
    'data-after-close': '关闭后又收到数据',
    'other': '其他',
    'peer-had-closed': '对端已关闭',
    'established': '已建立的连接',
    'handshake': '握手期间',
    'four-way': '四次挥手',
    'three-way': '三次挥手',
    'simultaneous': '同时关闭',
    'close-wait': '停在 CLOSE_WAIT',
    'fin-wait-1': '停在 FIN_WAIT_1',
  },
  sides: { client: '客户端', server: '服务器', both: '双方', path: '路径' },
  handshakes: { complete: '完整', partial: '不完整', none: '未见' },
};

/** A class's name: the id in English. */
export const className = (c: TeardownClass, lang: Lang): string => (lang === 'zh' ? ZH.classes[c] : c);

/** A detail's name: the id in English. */
export const detailName = (d: TeardownDetail, lang: Lang): string => (lang === 'zh' ? ZH.details[d] : d);

/** A side's name (`client`, `server`, `both`, `path`); `-` for none. */
export const sideName = (w: Who | 'path', lang: Lang): string => (w === null ? '-' : lang === 'zh' ? ZH.sides[w] : w);

/** The handshake's word: `complete`, `partial`, `none`. */
export const handshakeName = (h: Handshake, lang: Lang): string => (lang === 'zh' ? ZH.handshakes[h] : h);

/**
 * A verdict's title, as the verdict line and the HTML badge show it: `graceful (three-way)`;
 * in Chinese `正常关闭，三次挥手（graceful / three-way）`.
 */
export function verdictTitle(c: TeardownClass, d: TeardownDetail | null, lang: Lang): string {
  if (lang === 'en') return `${c}${d ? ` (${d})` : ''}`;
  return `${ZH.classes[c]}${d ? `，${ZH.details[d]}` : ''}（${c}${d ? ` / ${d}` : ''}）`;
}
