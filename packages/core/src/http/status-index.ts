// The status handler's exports, kept apart from the other handlers' so each helper's index line stays one line.
export { createStatusHandler, type StatusHandler, type StatusHandlerOptions } from './status-handler.js';
export { type NodeListenerOptions, toNodeListener } from './status-node-listener.js';
export { escapeHtml, renderStatusPage } from './status-page.js';
export type { HttpErrorBody } from './status-responses.js';
