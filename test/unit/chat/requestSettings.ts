// The request settings the request-builder tests start from (caching on, two tools).
import type { RequestSettings } from '../../../src/core/chat/requestBuilder';

export const baseRequestSettings: RequestSettings = {
  model: 'claude-sonnet-4-6',
  acceptsSampling: true,
  maxTokens: 8192,
  temperature: null,
  thinking: { enabled: false, budgetTokens: 4096 },
  promptCaching: true,
  system: 'You are helpful.',
  tools: [
    { name: 'read_file', description: 'r', input_schema: { type: 'object' } },
    { name: 'search_text', description: 's', input_schema: { type: 'object' } },
  ],
};
