// The public surface of the AI/ML API client, for the chat controller, the tool loop and batches.
export { MessagesClient, type MessagesClientOptions } from './client';
export { AimlApiError, isAimlApiError, redactSecrets, userMessage } from './errors';
export { noopLogger, type ApiLogger } from './logger';
export { DEFAULT_MODEL_ID, MODEL_IDS, closestModelId, defaultMaxTokens, findModel, listModels, validateRequest } from './models';
export { MessageAccumulator, accumulateEvents } from '../stream/accumulator';
export type * from './types';
