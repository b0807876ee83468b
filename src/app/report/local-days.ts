// Local calendar dates for many instants at once (the spreadsheet's hundreds of
// thousands of cells): the zone's offset is looked up once per hour of UTC and
// reused, instead of building a luxon DateTime per cell.
import { DateTime } from 'luxon';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface LocalDays {
  /** Offset of the zone at `ms`, in ms. */
  offset(ms: number): number;
  /** Days since 1970-01-01 of the local date holding `ms`. */
  dayNumber(ms: number): number;
  /** A Date whose UTC fields are the local wall time (what Excel date cells hold). */
  wallDate(ms: number): Date;
}

export function localDays(zone: string): LocalDays {
  const exact = (ms: number) => DateTime.fromMillis(ms, { zone }).offset * 60_000;
  // hour → its offset, or null when the offset changes inside that hour (then each instant is looked up).
  const hours = new Map<number, number | null>();
  const offset = (ms: number): number => {
    const h = Math.floor(ms / HOUR);
    let o = hours.get(h);
    if (o === undefined) {
      const start = exact(h * HOUR);
      o = start === exact(h * HOUR + HOUR - 1) ? start : null;
      hours.set(h, o);
    }
    return o ?? exact(ms);
  };
  return {
    offset,
    dayNumber: (ms) => Math.floor((ms + offset(ms)) / DAY),
    wallDate: (ms) => new Date(ms + offset(ms)),
  };
}
