// Times as a reader sees them: `2025-05-01 12:03 UTC`. No relative ages ("4 min ago"):
// the comment must render byte-identical when nothing changed, so it is not rewritten.

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
