import type { LanguageModelStreamPart, LanguageModelToolCall } from '@patchbay/core';

/** Parses tool arguments sent as JSON text; text that is not JSON is kept as the raw string. */
export function parseToolInput(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A tool result as the text vendors take: strings verbatim, anything else as JSON. */
export function toolOutputText(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output ?? null);
}

interface PendingCall {
  toolCallId: string;
  toolName: string;
  argumentsText: string;
}

/**
 * Collects tool calls streamed as a start and argument fragments (OpenAI,
 * Anthropic) and emits the stream parts for them as they arrive.
 */
export class ToolCallCollector {
  readonly #calls = new Map<number | string, PendingCall>();

  start(key: number | string, toolCallId: string, toolName: string): LanguageModelStreamPart {
    this.#calls.set(key, { toolCallId, toolName, argumentsText: '' });
    return { type: 'tool-call-start', toolCallId, toolName };
  }

  has(key: number | string): boolean {
    return this.#calls.has(key);
  }

  delta(key: number | string, argumentsDelta: string): LanguageModelStreamPart | undefined {
    const call = this.#calls.get(key);
    if (!call || !argumentsDelta) return undefined;
    call.argumentsText += argumentsDelta;
    return { type: 'tool-call-delta', toolCallId: call.toolCallId, argumentsDelta };
  }

  /** The complete call for one key, removed from the pending set. */
  finish(key: number | string): (LanguageModelStreamPart & { type: 'tool-call' }) | undefined {
    const call = this.#calls.get(key);
    if (!call) return undefined;
    this.#calls.delete(key);
    return {
      type: 'tool-call',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: parseToolInput(call.argumentsText),
    };
  }

  /** Every call still pending, completed in the order they started. */
  finishAll(): Array<LanguageModelStreamPart & { type: 'tool-call' }> {
    return [...this.#calls.keys()].map((key) => this.finish(key)).filter((part) => part !== undefined);
  }
}

export function toToolCall(part: { toolCallId: string; toolName: string; input: unknown }): LanguageModelToolCall {
  return { toolCallId: part.toolCallId, toolName: part.toolName, input: part.input };
}
