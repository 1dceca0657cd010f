// Where a prompt that could not be sent goes back into the composer: in front of anything typed
// since, and never a second time when the composer already holds it (a late duplicate message, or
// a prompt the user put back by hand), so restoring is idempotent.
export function mergeRestoredPrompt(current: string, restored: string): string {
  if (!current.trim()) return restored;
  if (containsAsParagraph(current, restored)) return current;
  return `${restored}\n\n${current}`;
}

/** Whether `text` stands in `current` as whole paragraphs (not as part of a longer line). */
function containsAsParagraph(current: string, text: string): boolean {
  return current === text || current.startsWith(`${text}\n\n`) || current.endsWith(`\n\n${text}`) || current.includes(`\n\n${text}\n\n`);
}
