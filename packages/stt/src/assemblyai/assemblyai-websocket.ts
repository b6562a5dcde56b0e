import { lazySdk } from '@patchbay/core/adapter';

/**
 * `ws`, loaded on first live session with core's one loader: an optional peer, never imported at module load.
 * Chosen over the runtime's WebSocket because it hands over a refused upgrade's status, headers and body
 * (AssemblyAI's 429 with Retry-After, 401), which the standard WebSocket API hides.
 */
export const assemblyaiWebSocket = lazySdk('ws', () => import('ws'));
