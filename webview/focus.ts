// Where keyboard focus goes after something the user did (or something that happened to them)
// removes or hides the control they were on. Without this, focus falls back to <body> and a
// keyboard user has to Tab through the whole view again.

/** Is the user in the middle of typing a message? Then nothing steals their focus. */
export function isComposing(messageBox: HTMLTextAreaElement): boolean {
  return document.activeElement === messageBox && messageBox.value.trim() !== '';
}

/**
 * After an error panel appears: its Retry button when there is one (the likely next step), else
 * the alert itself (made focusable for this), so the message can be read again and acted on.
 */
export function focusError(panel: HTMLElement, messageBox: HTMLTextAreaElement): void {
  if (isComposing(messageBox)) return;
  const retry = Array.from(panel.querySelectorAll('button')).find((button) => button.textContent?.trim() === 'Retry');
  if (retry) { retry.focus(); return; }
  panel.tabIndex = -1;
  panel.focus();
}

/**
 * After the user decided on one approval: the first button of the next approval still waiting
 * (in transcript order: Allow, or Show diff for an edit), else the Message box.
 */
export function focusAfterDecision(transcript: HTMLElement, decided: HTMLElement, focusMessage: () => void): void {
  const pending = Array.from(transcript.querySelectorAll<HTMLElement>('.tool-card[data-status="awaiting_approval"]'))
    .filter((card) => card !== decided && !card.contains(decided));
  const next = pending.map((card) => card.querySelector<HTMLButtonElement>('.tool-approval .button-row button:not(:disabled)')).find(Boolean);
  if (next) next.focus();
  else focusMessage();
}
