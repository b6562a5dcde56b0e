import { MockLanguageModel } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PatchbayError } from '../errors/patchbay-error.js';
import { mergePatch, SettingsCell } from './settings-cell.js';

const schema = z.object({
  model: z.string(),
  voice: z.object({ stability: z.number().min(0).max(1) }),
  tags: z.array(z.string()).default([]),
});

describe('SettingsCell', () => {
  it('swaps the whole settings object, leaving earlier snapshots untouched', () => {
    const cell = new SettingsCell(schema, { model: 'a', voice: { stability: 0.5 } });
    const before = cell.current;
    cell.update({ voice: { stability: 0.9 } });
    expect(before.voice.stability).toBe(0.5);
    expect(cell.current).toEqual({ model: 'a', voice: { stability: 0.9 }, tags: [] });
    expect(Object.isFrozen(cell.current.voice)).toBe(true);
  });

  it('rejects an invalid patch naming the field path and changes nothing', () => {
    const cell = new SettingsCell(schema, { model: 'a', voice: { stability: 0.5 } }, 'settings of provider "x"');
    let caught: unknown;
    try {
      cell.update({ voice: { stability: 7 } });
    } catch (error) {
      caught = error;
    }
    expect(PatchbayError.isInstance(caught)).toBe(true);
    expect((caught as PatchbayError).code).toBe('invalid_request');
    expect((caught as PatchbayError).message).toContain('voice.stability');
    expect(cell.current.voice.stability).toBe(0.5);
  });

  it('names every offending field path, in the message and in details.issues, and changes nothing', () => {
    const cell = new SettingsCell(schema, { model: 'a', voice: { stability: 0.5 }, tags: ['x'] });
    const before = cell.current;
    let caught: unknown;
    try {
      cell.update({ model: 5, voice: { stability: 7 }, tags: ['ok', 3] });
    } catch (error) {
      caught = error;
    }
    expect(PatchbayError.isInstance(caught)).toBe(true);
    const error = caught as PatchbayError;
    expect(error.code).toBe('invalid_request');
    const issues = (error.details?.issues ?? []) as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path).sort()).toEqual(['model', 'tags.1', 'voice.stability']);
    for (const issue of issues) {
      expect(issue.message).not.toBe('');
      expect(error.message).toContain(`${issue.path}: ${issue.message}`);
    }
    expect(cell.current).toBe(before);
  });

  it('through a provider’s updateConfig(), names every offending field path and changes nothing', async () => {
    const provider = new MockLanguageModel({ id: 'p', model: 'm1', env: false });
    const before = provider.getConfig();
    const error = (await provider
      .updateConfig({ model: 7, requireApiKey: 'yes', acceptedApiKeys: [] })
      .catch((caught: unknown) => caught)) as PatchbayError;
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect(error.code).toBe('invalid_request');
    const paths = ((error.details?.issues ?? []) as { path: string }[]).map((issue) => issue.path);
    expect(paths.sort()).toEqual(['acceptedApiKeys', 'model', 'requireApiKey']);
    for (const path of paths) expect(error.message).toContain(`${path}: `);
    expect(provider.getConfig()).toEqual(before);
  });

  it('merges objects, replaces arrays and deletes on null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, list: [1, 2], gone: 1 }, { a: { c: 3 }, list: [3], gone: null })).toEqual({
      a: { b: 1, c: 3 },
      list: [3],
    });
  });
});
