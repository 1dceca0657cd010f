// The local AIML API stand-in: a loopback HTTP server speaking the gateway's protocol for unit,
// integration and end-to-end tests and the developer sandbox. See README.md in this folder.
export { startStandIn, MAX_REQUEST_BYTES } from './server';
export { scenarioNames } from './scenarios';
export { faultNames } from './types';
/** The stand-in's request checks without HTTP: lets request-builder tests prove a body would be accepted. */
export { validateMessagesRequest } from './validate';
export { knownModels } from './schema';
export type { Chunking, FaultName, LineEnding, RecordedRequest, ScriptedToolCall, ScriptStep, StandIn, StandInOptions } from './types';
export { CATALOGUE_ONLY_MODEL, STANDIN_CATALOGUE } from './gateway';
