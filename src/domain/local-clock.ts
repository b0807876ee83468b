// Local days and wall-clock minutes of an instant in a zone, and back, with the
// zone offsets memoised: the tick plans reminders for thousands of tasks and
// luxon is too slow to ask every time. Pure: nothing here reads the clock.
import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface LocalClock {
  readonly zone: string;
  /** Day number (days since 1970-01-01) of the local date holding `ms`. */
  dayOf(ms: number): number;
  /** Minutes since local midnight of `ms`. */
  minuteOfDay(ms: number): number;
  /** The instant of local day `day` at `minute` minutes after midnight. */
  at(day: number, minute: number): number;
}

const parsedHhmm = new Map<string, number>();

/** "08:00" → 480. */
export function parseHhmm(s: string): number {
  const known = parsedHhmm.get(s);
  if (known !== undefined) return known;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || +m[1] > 23 || +m[2] > 59) throw new RangeError(`not a time HH:mm: ${s}`);
  const v = +m[1] * 60 + +m[2];
  parsedHhmm.set(s, v);
  return v;
}

const clocks = new Map<string, LocalClock>();

export function localClock(zone: string): LocalClock {
  const cached = clocks.get(zone);
  if (cached) return cached;
  if (!DateTime.local().setZone(zone).isValid) throw new RangeError(`unknown time zone: ${zone}`);
  // Offsets change at most on the hour in every zone in use, so one lookup per UTC hour is exact.
  const offsetByHour = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const h = Math.floor(ms / HOUR_MS);
    let off = offsetByHour.get(h);
    if (off === undefined) {
      off = DateTime.fromMillis(h * HOUR_MS, { zone }).offset * 60_000;
      offsetByHour.set(h, off);
    }
    return off;
  };
  const instantByLocal = new Map<number, number>();
  const clock: LocalClock = {
    zone,
    dayOf: (ms) => Math.floor((ms + offsetAt(ms)) / DAY_MS),
    minuteOfDay: (ms) => {
      const local = ms + offsetAt(ms);
      return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 60_000);
    },
    at: (day, minute) => {
      const k = day * 1440 + minute;
      let v = instantByLocal.get(k);
      if (v === undefined) {
        const d = new Date(day * DAY_MS);
        v = DateTime.fromObject(
          { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(minute / 60), minute: minute % 60 },
          { zone },
        ).toMillis();
        instantByLocal.set(k, v);
      }
      return v;
    },
  };
  clocks.set(zone, clock);
  return clock;
}
