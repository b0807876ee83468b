// The permission matrix as data: every command × every role (and unlinked) ×
// own / child / other / parent unit, with the expected allow or deny per cell;
// then forged buttons, spelled-differently codes, a group bound to another unit
// and a deactivated officer. `runCase` sends one message to a fresh province and
// returns the violation it saw, or null. Shared by the vitest matrix and proof/suites/authz.ts.
import type { IncomingMessage, Reply } from '../../src/bot/types.ts';
import { bindChat } from '../../src/app/bindings.ts';
import { dbFingerprint, textProblem, VIETNAMESE, WRITE_ACK } from '../fuzz/checks.ts';
import { deactivate, NOW } from '../app/chat/helpers.ts';
import { authzWorld, SCOPE_UNIT, SCOPES, WHO, type AuthzWorld, type Role, type Scope, type UnitThings, type Who } from './authz-fixture.ts';

/** A small JPEG for the cells that send a photo. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);

/** A refusal sentence of the authorisation layer (src/app/auth.ts). */
export const REFUSAL =
  /^Anh\/chị chưa liên kết|không thuộc đơn vị của anh\/chị|^Chỉ (Chủ tịch|lãnh đạo|cán bộ quản trị)|chỉ xem được tình hình|^Nút bấm này không hợp lệ/;

interface Send {
  text: string;
  /** The channel the message arrives on (telegram unless said). */
  channel?: 'zalo';
  chatType?: 'private' | 'group';
  callbackData?: string;
  replyToText?: string;
  /** A photo sent with the message (a small JPEG). */
  photo?: boolean;
}

export interface MatrixRow {
  name: string;
  /** The message, about the unit of the scope. */
  send: (t: UnitThings) => Send;
  /** Scopes each role may act on; a role missing here is refused everywhere. */
  allow: Partial<Record<Who, Scope[]>>;
  /** True when an allowed cell must change the database (and say "Đã …"). */
  writes: boolean;
}

/** Commands that name no unit: one cell per role. */
export interface PlainRow {
  name: string;
  send: (w: AuthzWorld) => Send;
  allow: Who[];
  writes: boolean;
  /** An allowed answer must not show this unit (it is outside the sender's reach). */
  mustNotShow?: (who: Who) => string | null;
}

const LINKED: Who[] = ['officer', 'head', 'chair', 'admin'];
const OWN: Scope[] = ['own'];
const SUBTREE: Scope[] = ['own', 'child'];
const taskRule = { officer: OWN, head: OWN, admin: OWN, chair: SUBTREE };
const chairOnly = { chair: SUBTREE };
const group = 'group' as const;

export const MATRIX: MatrixRow[] = [
  { name: '/viec <mã nhiệm vụ>', send: (t) => ({ text: `/viec ${t.openTask}` }), allow: taskRule, writes: false },
  { name: '/viec <mã định kỳ>', send: (t) => ({ text: `/viec ${t.rule}` }), allow: taskRule, writes: false },
  { name: '/xong', send: (t) => ({ text: `/xong ${t.openTask} đã gửi báo cáo` }), allow: taskRule, writes: true },
  { name: 'button xong:', send: (t) => ({ text: '', callbackData: `xong:${t.openTask}` }), allow: taskRule, writes: true },
  { name: 'reply "xong" to a reminder', send: (t) => ({ text: 'xong', chatType: group, replyToText: `⏰ Nhắc hạn: ${t.openTask} — hạn 28/11/2026` }), allow: taskRule, writes: true },
  { name: '/giahan', send: (t) => ({ text: `/giahan ${t.openTask} 31/12/2026 chờ số liệu của Sở` }), allow: taskRule, writes: true },
  { name: '/duyet', send: (t) => ({ text: `/duyet ${t.extensionId}` }), allow: chairOnly, writes: true },
  { name: '/tuchoi', send: (t) => ({ text: `/tuchoi ${t.extensionId} chưa đủ căn cứ` }), allow: chairOnly, writes: true },
  { name: 'button duyet:', send: (t) => ({ text: '', callbackData: `duyet:${t.extensionId}` }), allow: chairOnly, writes: true },
  { name: 'button tuchoi:', send: (t) => ({ text: '', callbackData: `tuchoi:${t.extensionId}` }), allow: chairOnly, writes: true },
  { name: '/tinhhinh <đơn vị>', send: (t) => ({ text: `/tinhhinh ${t.unit}` }), allow: { head: SUBTREE, chair: SUBTREE }, writes: false },
  { name: '/giao', send: (t) => ({ text: `/giao ${t.unit} 31/12/2026 Rà soát hồ sơ tồn đọng` }), allow: chairOnly, writes: true },
  { name: '/giao định kỳ', send: (t) => ({ text: `/giao ${t.unit} hằng tháng ngày 25 Báo cáo công tác dân vận` }), allow: chairOnly, writes: true },
  { name: '/giao phối hợp', send: (t) => ({ text: `/giao ${t.unit} 31/12/2026 Rà soát hồ sơ phối hợp: ${t.unit === 'H-DONG' ? 'XA-DONG' : 'H-DONG'}` }), allow: chairOnly, writes: true },
  { name: '/giao không thời hạn', send: (t) => ({ text: `/giao ${t.unit} không thời hạn Theo dõi an ninh trật tự` }), allow: chairOnly, writes: true },
  { name: '/phancong', send: (t) => ({ text: `/phancong ${t.openTask} ${t.officer}` }), allow: { head: OWN, chair: SUBTREE }, writes: true },
  { name: '/tamdung', send: (t) => ({ text: `/tamdung ${t.openTask} Chờ bố trí kinh phí` }), allow: chairOnly, writes: true },
  { name: '/tieptuc', send: (t) => ({ text: `/tieptuc ${t.suspendedTask}` }), allow: chairOnly, writes: true },
  { name: '/dunglap', send: (t) => ({ text: `/dunglap ${t.rule}` }), allow: chairOnly, writes: true },
  { name: '/camket <đơn vị>', send: (t) => ({ text: `/camket ${t.unit}` }), allow: taskRule, writes: false },
  { name: '/camket capnhat', send: (t) => ({ text: `/camket capnhat ${t.unit} ${t.target} 96,5` }), allow: taskRule, writes: true },
  { name: '/nhom <đơn vị>', send: (t) => ({ text: `/nhom ${t.unit}`, chatType: group }), allow: { admin: SCOPES, chair: SUBTREE }, writes: true },
  { name: '/xacnhan', send: (t) => ({ text: `/xacnhan ${t.reportedTask}` }), allow: chairOnly, writes: true },
  { name: '/tralai', send: (t) => ({ text: `/tralai ${t.reportedTask} thiếu biên bản có chữ ký` }), allow: chairOnly, writes: true },
  { name: 'button xacnhan:', send: (t) => ({ text: '', callbackData: `xacnhan:${t.reportedTask}` }), allow: chairOnly, writes: true },
  { name: 'button tralai:', send: (t) => ({ text: '', callbackData: `tralai:${t.reportedTask}` }), allow: chairOnly, writes: true },
  { name: '/minhchung <mã> (xem lại)', send: (t) => ({ text: `/minhchung ${t.openTask}` }), allow: taskRule, writes: false },
  { name: '/minhchung <mã> + ảnh', send: (t) => ({ text: `/minhchung ${t.openTask}`, photo: true }), allow: taskRule, writes: true },
  { name: '/xong <mã> + ảnh', send: (t) => ({ text: `/xong ${t.openTask}`, photo: true }), allow: taskRule, writes: true },
  { name: 'photo in reply to a reminder', send: (t) => ({ text: '', chatType: group, replyToText: `⏰ Nhắc hạn: ${t.openTask} — hạn 28/11/2026`, photo: true }), allow: taskRule, writes: true },
];

/** A unit the chair (district H-DONG) may not see, and one the others (XA-AN) may not. */
const outside = (who: Who) => (who === 'chair' ? 'XA-SON' : who === 'unlinked' ? null : 'XA-SON');

export const PLAIN: PlainRow[] = [
  { name: '/trogiup', send: () => ({ text: '/trogiup' }), allow: WHO, writes: false },
  { name: '/viec', send: () => ({ text: '/viec' }), allow: LINKED, writes: false, mustNotShow: outside },
  { name: '/viec quahan', send: () => ({ text: '/viec quahan' }), allow: LINKED, writes: false, mustNotShow: outside },
  { name: '/viec toi', send: () => ({ text: '/viec toi' }), allow: LINKED, writes: false, mustNotShow: outside },
  { name: '/web', send: () => ({ text: '/web' }), allow: LINKED, writes: true },
  { name: '/tinhhinh', send: () => ({ text: '/tinhhinh' }), allow: ['head', 'chair'], writes: false, mustNotShow: outside },
  { name: '/baocao', send: () => ({ text: '/baocao' }), allow: ['head', 'chair'], writes: false, mustNotShow: outside },
  { name: '/camket', send: () => ({ text: '/camket' }), allow: LINKED, writes: false },
  { name: '/camket tongket', send: () => ({ text: '/camket tongket' }), allow: ['chair'], writes: false, mustNotShow: outside },
  { name: '/nhom lanhdao', send: () => ({ text: '/nhom lanhdao', chatType: group }), allow: ['admin', 'chair'], writes: true },
  { name: '/dangky <mã mời>', send: (w) => ({ text: `/dangky ${w.things['XA-SON'].invite}` }), allow: WHO, writes: true },
];

export interface AuthzCase {
  id: string;
  /** Builds the world the case needs (fresh every time: an allowed write must not leak into the next case). */
  setup?: (w: AuthzWorld) => Promise<void>;
  who: Who;
  /** Another sender than the role's usual account (linked by `setup`). */
  userId?: string;
  send: (w: AuthzWorld) => Send;
  expect: 'allow' | 'deny';
  writes: boolean;
  mustNotShow?: string | null;
  /** For extra cases: any polite answer that writes nothing counts as a denial (not only auth refusals). */
  anyRefusal?: boolean;
}

/** Forged or hostile button payloads, pressed by an officer of XA-AN (and the chair for extension ids). */
const FORGED: [string, Who, (w: AuthzWorld) => string][] = [
  ['garbage', 'officer', () => 'AAAA\u0000<script>'],
  ['empty', 'officer', () => ''],
  ['over-long xong', 'officer', () => `xong:${'A'.repeat(80)}`],
  ['over-long duyet', 'chair', () => `duyet:${'9'.repeat(70)}`],
  ['unknown verb', 'chair', () => 'xoa:1'],
  ['path in code', 'officer', () => 'xong:../T-XA-AN-1'],
  ['code of another unit', 'officer', (w) => `xong:${w.things['XA-SON'].openTask}`],
  ['code of the parent unit', 'head', (w) => `xong:${w.things.TINH.openTask}`],
  ['extension of another unit', 'chair', (w) => `duyet:${w.things['XA-SON'].extensionId}`],
  ['extension that does not exist', 'chair', () => 'duyet:999999'],
  ['negative id', 'chair', () => 'duyet:-1'],
  ['exponent id', 'chair', () => 'tuchoi:1e3'],
  ['arabic-indic digits', 'chair', () => 'duyet:\u0661'],
  ['trailing space', 'chair', (w) => `duyet:${w.things['XA-SON'].extensionId} `],
  ['approve by an officer', 'officer', (w) => `duyet:${w.things['XA-AN'].extensionId}`],
  ['reject by a head', 'head', (w) => `tuchoi:${w.things['XA-AN'].extensionId}`],
  ['unlinked presses xong', 'unlinked', (w) => `xong:${w.things['XA-AN'].openTask}`],
];

/** The same task of another unit, written the ways a person might type or paste it. */
const SPELLINGS: [string, (w: AuthzWorld) => string][] = [
  ['lower case', (w) => `/xong ${w.things['XA-SON'].openTask.toLowerCase()}`],
  ['surrounded by spaces', (w) => `/xong    ${w.things['XA-SON'].openTask}   `],
  ['with a zero-width space', (w) => `/xong ${w.things['XA-SON'].openTask}\u200b`],
  ['English alias', (w) => `/done ${w.things['XA-SON'].openTask}`],
  ['with a late reason', (w) => `/xong ${w.things['XA-SON'].openTask} lý do: chờ Sở`],
  ['task detail of the parent unit', (w) => `/viec ${w.things.TINH.openTask}`],
  ['extension for another unit', (w) => `/giahan ${w.things['XA-SON'].openTask} 31/12/2026 chờ số liệu`],
  ['an officer named on another unit\'s task', (w) => `/phancong ${w.things['XA-SON'].openTask} CB-XA-SON`],
];

const bindA = async (w: AuthzWorld) => {
  await bindChat(w.h.db, 'telegram', 'g-unit-a', { unitCode: 'XA-AN' }, NOW);
};

/** Every case: the matrix cells, then the extra attacks. */
export function authzCases(): AuthzCase[] {
  const cases: AuthzCase[] = [];
  for (const row of MATRIX) {
    for (const who of WHO) {
      for (const scope of SCOPES) {
        const unit = SCOPE_UNIT[who][scope];
        cases.push({
          id: `${row.name} × ${who} × ${scope} (${unit})`,
          who,
          send: (w) => row.send(w.things[unit]),
          expect: row.allow[who]?.includes(scope) ? 'allow' : 'deny',
          writes: row.writes,
        });
      }
    }
  }
  for (const row of PLAIN) {
    for (const who of WHO) {
      cases.push({ id: `${row.name} × ${who}`, who, send: row.send, expect: row.allow.includes(who) ? 'allow' : 'deny', writes: row.writes, mustNotShow: row.mustNotShow?.(who) });
    }
  }
  for (const [name, who, data] of FORGED) {
    cases.push({ id: `forged button: ${name} × ${who}`, who, send: (w) => ({ text: '', callbackData: data(w) }), expect: 'deny', writes: true, anyRefusal: true });
  }
  for (const [name, text] of SPELLINGS) {
    cases.push({ id: `another unit's task code, ${name} × officer`, who: 'officer', send: (w) => ({ text: text(w) }), expect: 'deny', writes: true, anyRefusal: true });
  }
  // A group bound to XA-AN gives no power over the tasks of XA-SON: the sender is who counts.
  for (const who of ['officer', 'head', 'admin', 'unlinked'] as Who[]) {
    const inGroupA = (s: Send): Send => ({ ...s, chatType: 'group' });
    cases.push({ id: `group of XA-AN: /xong of XA-SON × ${who}`, setup: bindA, who, send: (w) => inGroupA({ text: `/xong ${w.things['XA-SON'].openTask}` }), expect: 'deny', writes: true });
    cases.push({ id: `group of XA-AN: reply xong about XA-SON × ${who}`, setup: bindA, who, send: (w) => inGroupA({ text: 'xong', replyToText: `⏰ Nhắc hạn: ${w.things['XA-SON'].openTask}` }), expect: 'deny', writes: true, anyRefusal: true });
    cases.push({ id: `group of XA-AN: button xong of XA-SON × ${who}`, setup: bindA, who, send: (w) => inGroupA({ text: '', callbackData: `xong:${w.things['XA-SON'].openTask}` }), expect: 'deny', writes: true });
  }
  cases.push({ id: 'group of XA-AN: /xong of XA-AN × officer', setup: bindA, who: 'officer', send: (w) => ({ text: `/xong ${w.things['XA-AN'].openTask}`, chatType: 'group' }), expect: 'allow', writes: true });
  // An account id is only an identity on its own channel: the chair's Telegram id arriving over Zalo is nobody.
  for (const row of MATRIX) {
    cases.push({ id: `chair's Telegram id over Zalo: ${row.name}`, who: 'chair', send: (w) => ({ ...row.send(w.things['H-DONG']), channel: 'zalo' }), expect: 'deny', writes: row.writes });
  }
  // A co-ordinating unit must be within the chair's reach like the lead; a head names only the own unit's officers.
  cases.push({ id: '/giao phối hợp with a unit outside the chair × chair', who: 'chair', send: () => ({ text: '/giao H-DONG 31/12/2026 Rà soát phối hợp: XA-SON' }), expect: 'deny', writes: true });
  cases.push({ id: '/phancong an officer of another unit × head', who: 'head', send: (w) => ({ text: `/phancong ${w.things['XA-AN'].openTask} CB-XA-SON` }), expect: 'deny', writes: true, anyRefusal: true });
  // The province chair (at the top) still acts on every unit: the subtree rule takes nothing from them.
  const topChair = async (w: AuthzWorld) => {
    await w.h.link('CT-TINH', 'top-chair');
  };
  for (const row of MATRIX.filter((r) => r.allow.chair)) {
    for (const unit of ['XA-SON', 'XA-DONG', 'TINH']) {
      cases.push({ id: `province chair: ${row.name} on ${unit}`, setup: topChair, who: 'chair', userId: 'top-chair', send: (w) => row.send(w.things[unit]), expect: 'allow', writes: row.writes });
    }
  }
  // A deactivated officer's linked account is treated as unlinked, for every command.
  const deactivated = (code: string) => (w: AuthzWorld) => deactivate(w.h.db, code);
  const actors: Record<Role, string> = { officer: 'CB-XA-AN', head: 'CT-XA-AN', chair: 'CT-HDONG', admin: 'QT-AN' };
  for (const role of Object.keys(actors) as Role[]) {
    for (const row of MATRIX) {
      const unit = SCOPE_UNIT[role].own;
      cases.push({ id: `deactivated ${role}: ${row.name}`, setup: deactivated(actors[role]), who: role, send: (w) => row.send(w.things[unit]), expect: 'deny', writes: row.writes });
    }
    for (const row of PLAIN.filter((r) => r.name !== '/trogiup' && r.name !== '/dangky <mã mời>')) {
      cases.push({ id: `deactivated ${role}: ${row.name}`, setup: deactivated(actors[role]), who: role, send: row.send, expect: 'deny', writes: row.writes });
    }
  }
  return cases;
}

function sentences(text: string): number {
  return text.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '').length;
}

/** A denial: one reply, to the sender only, a short polite Vietnamese sentence (two at most with the hint). */
function denialProblem(replies: Reply[], anyRefusal: boolean): string | null {
  if (replies.length !== 1) return `${replies.length} replies to a refused command`;
  const [r] = replies;
  if (r.document || r.photo || r.buttons) return 'a refused command sent something more than one sentence back';
  if (!anyRefusal && !REFUSAL.test(r.text)) return `not refused: ${JSON.stringify(r.text.slice(0, 140))}`;
  if (!VIETNAMESE.test(r.text) || /Error|undefined|NaN|\[object/.test(r.text)) return `not a Vietnamese sentence: ${JSON.stringify(r.text.slice(0, 140))}`;
  if (sentences(r.text) > 3 || r.text.length > 400) return `too long for a refusal: ${JSON.stringify(r.text.slice(0, 140))}`;
  return null;
}

/** A province left exactly as built by a case that changed nothing: the next case may use it. */
let spare: AuthzWorld | null = null;

/** Runs one case on a fresh province (or an untouched one); the violation, or null. */
export async function runCase(c: AuthzCase): Promise<string | null> {
  const w = !c.setup && spare ? spare : await authzWorld();
  spare = null;
  await c.setup?.(w);
  const s = c.send(w);
  const before = await dbFingerprint(w.h.db);
  const extra: Partial<IncomingMessage> = { botUsername: 'nhacviec_bot' };
  if (s.chatType === 'group') Object.assign(extra, { chatType: 'group', chatId: 'g-unit-a' });
  if (s.callbackData !== undefined) extra.callbackData = s.callbackData;
  if (s.replyToText !== undefined) extra.replyToText = s.replyToText;
  if (s.channel) Object.assign(extra, { channel: s.channel });
  if (s.photo) extra.attachment = { kind: 'photo', fetch: () => Promise.resolve(PHOTO) };
  let replies: Reply[];
  try {
    replies = await w.h.send(c.userId ?? w.user[c.who], s.text, extra);
  } catch (e) {
    return `threw ${(e as Error).message}`;
  }
  const changed = (await dbFingerprint(w.h.db)) !== before;
  if (!changed && !c.setup) spare = w;
  if (c.expect === 'deny') {
    if (changed) return 'refused, or should have been, but the database changed';
    return denialProblem(replies, c.anyRefusal ?? false);
  }
  const first = replies[0]?.text ?? '';
  if (REFUSAL.test(first)) return `refused: ${JSON.stringify(first.slice(0, 140))}`;
  for (const r of replies) {
    const p = textProblem(r.text, s.text);
    if (p) return p;
  }
  if (c.writes && !(changed && WRITE_ACK.test(first))) return `allowed but nothing was done: ${JSON.stringify(first.slice(0, 140))}`;
  if (c.mustNotShow && replies.some((r) => r.text.includes(c.mustNotShow!))) return `shows ${c.mustNotShow}, a unit outside the sender's reach`;
  return null;
}
