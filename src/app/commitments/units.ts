// Looking up a unit by the code a user typed.
import type { Db } from '../../db/open.ts';
import { unitByCode, type UnitRow } from '../../db/units.repo.ts';
import { NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';

export async function findUnitByCodeOrThrow(db: Db, code: string): Promise<UnitRow> {
  const c = normCode(code);
  const unit = await unitByCode(db, c);
  if (!unit) throw new NotFound(`Không có đơn vị mã ${c.slice(0, 30)}. Hãy kiểm tra lại mã đơn vị.`);
  return unit;
}
