// The batch tasks and their prompts. Tasks that change code (review, doc comments) ask for the
// changes in one plain-text format, parsed by suggestions.ts, so any answer can become proposed
// edits without trusting line numbers (models miscount them) or a diff syntax (easy to garble).

export const batchTaskIds = ['explain', 'review', 'docComments', 'custom'] as const;
export type BatchTaskId = (typeof batchTaskIds)[number];

export interface BatchTask {
  id: BatchTaskId;
  label: string;
  description: string;
  /** Whether answers carry REPLACE/WITH blocks that can become edits. */
  proposesEdits: boolean;
}

export const batchTasks: Record<BatchTaskId, BatchTask> = {
  explain: { id: 'explain', label: 'Explain', description: 'What each file does, its main parts and how they fit together', proposesEdits: false },
  review: { id: 'review', label: 'Review', description: 'Bugs, risks and improvements, with suggested changes you can apply', proposesEdits: true },
  docComments: { id: 'docComments', label: 'Write doc comments', description: 'Doc comments for the public declarations, as changes you can apply', proposesEdits: true },
  custom: { id: 'custom', label: 'Custom prompt…', description: 'Your own instruction, sent with each file', proposesEdits: false },
};

export function isBatchTaskId(value: unknown): value is BatchTaskId {
  return (batchTaskIds as readonly unknown[]).includes(value);
}

export const SUGGESTION_FORMAT_INSTRUCTIONS = [
  'Give every change to the code as a suggestion block in exactly this format:',
  '',
  'REPLACE:',
  '```',
  '<the original lines, copied character for character from the file>',
  '```',
  'WITH:',
  '```',
  '<the new lines that take their place>',
  '```',
  '',
  'Rules for suggestion blocks:',
  '- REPLACE holds whole lines copied exactly from the file, including indentation, and enough of',
  '  them that the snippet occurs only once in the file. Keep it as short as that allows.',
  '- WITH holds the complete replacement for those lines (leave it empty to delete them).',
  '- Suggestions must not overlap. Put a language tag on the fences if you like; if the code',
  '  contains ``` use a longer fence such as ````.',
  '- Write REPLACE: and WITH: alone on their lines, with nothing else on those lines.',
].join('\n');

const SYSTEM_PROMPTS: Record<BatchTaskId, string> = {
  explain: 'You are an experienced software engineer explaining code to a colleague who is new to the project. Be accurate and concrete; do not invent behaviour the code does not have.',
  review: 'You are a meticulous senior code reviewer. Point out real problems (bugs, unsafe or fragile code, unclear names, missing error handling, performance traps) and skip nitpicks. Be concrete and brief.',
  docComments: 'You are a careful engineer who writes concise, accurate doc comments in the idiomatic style of each language (JSDoc/TSDoc, Python docstrings, Javadoc, Rust doc comments, ...). Document intent, parameters, return values and thrown errors; never change behaviour.',
  custom: 'You are an expert software engineer. Follow the user\'s instruction for the file given, precisely and concisely.',
};

const TASK_INSTRUCTIONS: Record<Exclude<BatchTaskId, 'custom'>, string> = {
  explain: 'Explain this file: its purpose, its main parts (types, functions, classes) and how they work together, and anything surprising. Use short markdown sections.',
  review: `Review this file. List the problems you find from most to least important, each with a one-paragraph explanation. Then give the changes you recommend.\n\n${SUGGESTION_FORMAT_INSTRUCTIONS}`,
  docComments: `Write doc comments for the public declarations in this file that lack them (or whose comments are wrong). Start with one sentence saying what you documented, then give each addition as a suggestion block whose REPLACE is the declaration's first line and whose WITH is the doc comment followed by that same line.\n\n${SUGGESTION_FORMAT_INSTRUCTIONS}`,
};

export function systemPromptFor(task: BatchTaskId): string {
  return SYSTEM_PROMPTS[task];
}

/** The instruction placed above the file; `customPrompt` is required for the custom task. */
export function instructionFor(task: BatchTaskId, customPrompt?: string): string {
  if (task === 'custom') {
    const prompt = customPrompt?.trim();
    if (!prompt) throw new Error('The custom task needs a prompt.');
    return prompt;
  }
  return TASK_INSTRUCTIONS[task];
}
