import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

describe('lazySchema', () => {
  it('builds the schema on first use, once', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds++;
      return z.object({ retries: z.number().int().min(0).default(2) });
    });
    expect(builds).toBe(0);
    expect(schema.parse({})).toEqual({ retries: 2 });
    expect(schema.safeParse({ retries: -1 }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('behaves as the schema it stands for: instanceof, methods, and inside other schemas', () => {
    const route = lazySchema(() =>
      z.object({ providers: z.array(z.string()).min(1), deadlineMs: z.number().optional() }),
    );
    expect(route).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(route.shape)).toEqual(['providers', 'deadlineMs']);
    expect(route.partial().parse({})).toEqual({});

    const config = z.object({ routes: z.record(z.string(), route).default({}), patch: route.partial().optional() });
    expect(config.parse({ routes: { llm: { providers: ['a'] } } })).toEqual({ routes: { llm: { providers: ['a'] } } });
    const failed = config.safeParse({ routes: { llm: { providers: [] } } });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.path).toEqual(['routes', 'llm', 'providers']);
  });

  it('is enumerable and inspectable like the schema', () => {
    const schema = lazySchema(() => z.string().min(1));
    expect(Object.getPrototypeOf(schema)).toBe(Object.getPrototypeOf(z.string()));
    expect('parse' in schema).toBe(true);
    expect(Reflect.ownKeys(schema)).toEqual(Reflect.ownKeys(z.string().min(1)));
  });
});
