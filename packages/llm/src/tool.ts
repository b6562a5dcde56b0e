import type { JsonSchema, LanguageModelTool } from '@patchbay/core';
import { z } from 'zod';

export interface ToolDefinition {
  name: string;
  description?: string | undefined;
  /** A zod schema (converted with `z.toJSONSchema`) or a JSON Schema object. */
  parameters: z.ZodType | JsonSchema;
}

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/**
 * A tool for `LanguageModelRequest.tools`, with its parameters given as a zod
 * schema: adapters receive JSON Schema only, so the conversion happens here.
 */
export function tool(definition: ToolDefinition): LanguageModelTool {
  return {
    name: definition.name,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    parameters: toJsonSchema(definition.parameters),
  };
}

/** JSON Schema for a zod schema (draft 2020-12, without the `$schema` marker vendors reject). */
export function toJsonSchema(schema: z.ZodType | JsonSchema): JsonSchema {
  if (!isZodSchema(schema)) return schema;
  const { $schema: _marker, ...rest } = z.toJSONSchema(schema) as JsonSchema;
  return rest;
}
