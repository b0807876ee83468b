// Officers, with the unit they belong to.
import type { Db } from './open.ts';
import type { Role } from './schema.ts';
import { stmt } from './statements.ts';

export interface OfficerRow {
  id: number;
  code: string;
  fullName: string;
  role: Role;
  title: string | null;
  active: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
}

const SELECT = `SELECT o.id, o.code, o.full_name AS fullName, o.role, o.title, o.active,
  u.id AS unitId, u.code AS unitCode, u.name AS unitName, u.path AS unitPath
  FROM officers o JOIN units u ON u.id = o.unit_id`;

export function officerByCode(db: Db, code: string): OfficerRow | undefined {
  return stmt(db, `${SELECT} WHERE o.code = ?`).get(code) as OfficerRow | undefined;
}

export function officerById(db: Db, id: number): OfficerRow | undefined {
  return stmt(db, `${SELECT} WHERE o.id = ?`).get(id) as OfficerRow | undefined;
}

/** Active officers with a given role (e.g. the chairs to tell about an extension request). */
export function activeOfficersByRole(db: Db, role: Role): OfficerRow[] {
  return stmt(db, `${SELECT} WHERE o.role = ? AND o.active = 1 ORDER BY o.code`).all(role) as OfficerRow[];
}

export function countOfficers(db: Db): number {
  return (stmt(db, 'SELECT count(*) AS n FROM officers').get() as { n: number }).n;
}

export interface SenderRow extends OfficerRow {
  accountId: number;
  privateChatId: string | null;
}

/** The officer linked to a chat account, whether active or not. */
export function officerByAccount(db: Db, channel: string, externalId: string): SenderRow | undefined {
  return stmt(
    db,
    `SELECT o.id, o.code, o.full_name AS fullName, o.role, o.title, o.active,
       u.id AS unitId, u.code AS unitCode, u.name AS unitName, u.path AS unitPath,
       a.id AS accountId, a.private_chat_id AS privateChatId
     FROM chat_accounts a JOIN officers o ON o.id = a.officer_id JOIN units u ON u.id = o.unit_id
     WHERE a.channel = ? AND a.external_id = ?`,
  ).get(channel, externalId) as SenderRow | undefined;
}

/** Active officers of a unit who can be reached in a private chat. */
export function privateChatsOfUnit(db: Db, unitId: number): { channel: string; chatId: string }[] {
  return stmt(
    db,
    `SELECT a.channel, a.private_chat_id AS chatId FROM chat_accounts a JOIN officers o ON o.id = a.officer_id
     WHERE o.unit_id = ? AND o.active = 1 AND a.private_chat_id IS NOT NULL ORDER BY o.code`,
  ).all(unitId) as { channel: string; chatId: string }[];
}
