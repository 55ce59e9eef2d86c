// Times as a reader sees them: `2025-05-01 12:03 UTC`, and ages like `4 min`.

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long before `later` the time `earlier` was, or undefined when either is unknown or in the wrong order. */
export function formatAge(earlier: string, later: string): string | undefined {
  const ms = Date.parse(later) - Date.parse(earlier);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}
