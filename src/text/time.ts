// Times and durations as people read them: local time with its zone, minutes with units.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-12-02 04:12:09 UTC": the machine's local time, with the zone it is in. */
export function localTime(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${day} ${time}${zone ? ` ${zone}` : ''}`;
}

/** "45 min", "2880 min (48 h)", "90 min (1 h 30 min)". */
export function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${minutes} min (${h} h${m ? ` ${m} min` : ''})`;
}

/** "42 s", "12 min 05 s", "3 h 02 min": a duration in seconds. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}
