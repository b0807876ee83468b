// Who may do what — checked here, once, for typed commands and button presses alike.
import type { PromptRow } from '../db/accounts.repo.ts';
import type { Db } from '../db/open.ts';
import { senderByAccount, type SenderWithPromptRow } from '../db/officers.repo.ts';
import type { Channel, Role } from '../db/schema.ts';
import { NotAllowed } from '../domain/errors.ts';

/** A linked, active officer acting through a chat account. */
export interface Actor {
  officerId: number;
  code: string;
  fullName: string;
  role: Role;
  title: string | null;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  accountId: number;
  privateChatId: string | null;
}

export type Action =
  | 'help'
  | 'register'
  | 'tasks'
  | 'done'
  | 'extend'
  | 'approve'
  | 'status'
  | 'report'
  | 'commitments'
  | 'recordTarget'
  | 'scorecard'
  | 'assign'
  | 'stopRepeat'
  | 'bindGroup'
  | 'invite'
  /** Adding a task's evidence, or having it sent back. */
  | 'evidence'
  /** Confirming a completion report, or sending it back (/xacnhan, /tralai). */
  | 'confirm'
  /** Naming a task's officer (/phancong): the lead unit's head, or a chair over it. */
  | 'delegate'
  /** Suspending a task and resuming it (/tamdung, /tieptuc). */
  | 'suspend'
  /** A sign-in link to the web pages (/web). */
  | 'web';

/** Who the rules look at: an actor without the chat account (a web viewer is one). */
export type Principal = Omit<Actor, 'accountId' | 'privateChatId'>;

/** The unit an action is about (a task's unit, the unit asked for). */
export interface UnitTarget {
  unitId: number;
  unitPath: string;
  /** For the refusal sentence. */
  label?: string;
  /** A task's co-ordinating units (phối hợp), where the action allows them (evidence). */
  cooperatingUnitIds?: number[];
}

/** Who sent an update: the actor (null when not linked or deactivated) and the question the bot waits for them to answer. */
export interface Sender {
  actor: Actor | null;
  prompt: PromptRow | null;
}

/** A sender's row (officerByAccount with the pending question) as the actor and the question. */
export function senderOf(r: SenderWithPromptRow | undefined): Sender {
  // A deactivated officer counts as unlinked.
  if (!r || !r.active) return { actor: null, prompt: null };
  const actor: Actor = {
    officerId: r.id,
    code: r.code,
    fullName: r.fullName,
    role: r.role,
    title: r.title,
    unitId: r.unitId,
    unitCode: r.unitCode,
    unitName: r.unitName,
    unitPath: r.unitPath,
    accountId: r.accountId,
    privateChatId: r.privateChatId,
  };
  const prompt = r.promptKind !== null && r.promptExpiresAt !== null ? { kind: r.promptKind, taskId: r.promptTaskId, expiresAt: r.promptExpiresAt } : null;
  return { actor, prompt };
}

/** The sender as an actor and their pending question, in one query. */
export async function resolveSender(db: Db, channel: Channel, userId: string): Promise<Sender> {
  return senderOf(await senderByAccount(db, channel, userId));
}

/** The sender as an actor, or null when not linked or deactivated (a deactivated officer counts as unlinked). */
export async function resolveActor(db: Db, channel: Channel, userId: string): Promise<Actor | null> {
  return (await resolveSender(db, channel, userId)).actor;
}

export const NOT_LINKED =
  'Anh/chị chưa liên kết tài khoản với hệ thống. Hãy xin mã mời ở Phòng Nội vụ rồi gõ /dangky <mã mời>.';

/** Why the action is refused, or null when it is allowed. */
export function refusal(actor: Principal | null, action: Action, target?: UnitTarget): string | null {
  if (action === 'help' || action === 'register') return null;
  if (!actor) return NOT_LINKED;
  const chair = actor.role === 'chair';
  // The people of a co-ordinating unit add and see a task's evidence, whoever leads the task.
  // They also see it in /viec <mã>.
  if ((action === 'evidence' || action === 'tasks') && target?.cooperatingUnitIds?.includes(actor.unitId)) return null;
  // A chair leads a unit and everything under it (a province chair: the whole tree), nothing beside or above it.
  if (chair && target && !target.unitPath.startsWith(actor.unitPath)) {
    return `${target.label ?? 'Việc này'} không thuộc đơn vị của anh/chị (${actor.unitName}) hay các đơn vị trực thuộc, nên không thể thực hiện.`;
  }
  switch (action) {
    case 'web':
      return null;
    case 'tasks':
    case 'done':
    case 'extend':
    case 'commitments':
    case 'evidence':
      if (chair || !target || target.unitId === actor.unitId) return null;
      return `${target.label ?? 'Việc này'} không thuộc đơn vị của anh/chị (${actor.unitName}), nên không thể thực hiện. Gõ /viec để xem nhiệm vụ của đơn vị mình.`;
    case 'status':
    case 'report':
      if (chair) return null;
      if (actor.role !== 'head')
        return 'Chỉ lãnh đạo đơn vị và lãnh đạo UBND mới xem được tình hình chung. Anh/chị có thể gõ /viec để xem nhiệm vụ của đơn vị.';
      if (!target || target.unitPath.startsWith(actor.unitPath)) return null;
      return `Anh/chị chỉ xem được tình hình của ${actor.unitName} và các đơn vị trực thuộc.`;
    case 'recordTarget':
      // The unit's own people report its figures (often the statistics officer); chairs may for any unit below them.
      if (chair || !target || target.unitId === actor.unitId) return null;
      return `${target.label ?? 'Chỉ tiêu này'} không thuộc đơn vị của anh/chị (${actor.unitName}); anh/chị chỉ cập nhật được chỉ tiêu của đơn vị mình.`;
    case 'scorecard':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới xem kết quả xếp hạng cam kết của các đơn vị. Gõ /camket để xem cam kết của đơn vị mình.';
    case 'approve':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới duyệt hoặc từ chối đề nghị gia hạn.';
    case 'confirm':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới xác nhận hoặc trả lại báo cáo hoàn thành.';
    case 'delegate':
      if (chair || (actor.role === 'head' && (!target || target.unitId === actor.unitId))) return null;
      if (actor.role === 'head') return `${target?.label ?? 'Việc này'} không thuộc đơn vị của anh/chị (${actor.unitName}), nên không thể phân công.`;
      return 'Chỉ lãnh đạo đơn vị hoặc Chủ tịch, Phó Chủ tịch UBND mới phân công cán bộ thực hiện nhiệm vụ.';
    case 'suspend':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới tạm dừng hoặc cho tiếp tục nhiệm vụ.';
    case 'assign':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới giao nhiệm vụ qua tin nhắn.';
    case 'stopRepeat':
      return chair ? null : 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới dừng lặp nhiệm vụ định kỳ.';
    case 'bindGroup':
    case 'invite':
      return actor.role === 'admin' || chair ? null : 'Chỉ cán bộ quản trị (Phòng Nội vụ) mới gắn nhóm và cấp mã mời. Hãy liên hệ Phòng Nội vụ.';
  }
}

/** Throws NotAllowed with the refusal sentence; returns the actor when allowed. */
export function authorize(actor: Actor | null, action: Action, target?: UnitTarget): Actor {
  const why = refusal(actor, action, target);
  if (why !== null) throw new NotAllowed(why);
  return actor as Actor;
}
