// Whether now is inside a configured reboot window (pure). Windows are in a time zone; one whose
// end is before its start runs past midnight and belongs to the day it starts on.
import { WEEKDAYS, type RebootWindow } from '../../config/schema.js';

type Weekday = (typeof WEEKDAYS)[number];

function localTime(now: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: get('weekday').slice(0, 3).toLowerCase() as Weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function inRebootWindow(windows: RebootWindow[], timeZone: string, now: Date): boolean {
  if (windows.length === 0) return true;
  const { day, minutes } = localTime(now, timeZone);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as Weekday;
  return windows.some((w) => {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    if (start <= end) return w.days.includes(day) && minutes >= start && minutes < end;
    return (w.days.includes(day) && minutes >= start) || (w.days.includes(yesterday) && minutes < end);
  });
}

export function describeWindows(windows: RebootWindow[], timeZone: string): string {
  if (windows.length === 0) return 'at any time';
  return windows.map((w) => `${w.days.length === 7 ? 'daily' : w.days.join(',')} ${w.start}-${w.end}`).join('; ') + ` (${timeZone})`;
}
