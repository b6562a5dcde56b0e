import { failureOf as failure } from '@patchbay/testing/conformance';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeVendorHttpAgent, vendorHttpAgent, vendorHttpRequest } from './vendor-http.js';

const context = { provider: 'http-test', vendor: 'twilio' };
let sim: TwilioSimulator;
let connections = 0;

beforeAll(async () => {
  sim = await createTwilioSimulator().start();
  sim.server.on('connection', () => {
    connections++;
  });
});
afterAll(async () => {
  await sim.close();
  await closeVendorHttpAgent();
});
beforeEach(() => {
  sim.reset();
});

function accountRequest(method: 'GET' | 'POST', signal?: AbortSignal) {
  return {
    method,
    url: `${sim.url}/2010-04-01/Accounts/${sim.accountSid}.json`,
    headers: { authorization: `Basic ${Buffer.from(`${sim.accountSid}:${sim.authToken}`).toString('base64')}` },
    body: method === 'POST' ? 'a=1' : undefined,
    signal,
  } as const;
}

describe('vendorHttpRequest', () => {
  it('reuses keep-alive connections for sequential requests on the shared pool', async () => {
    await closeVendorHttpAgent();
    const before = connections;
    for (let index = 0; index < 20; index++) {
      const response = await vendorHttpRequest({}, accountRequest('GET'), context);
      expect(response.status).toBe(200);
    }
    // The next request can start before undici marks the previous socket idle, so a second one may open; never 20.
    expect(connections - before).toBeLessThanOrEqual(2);
    expect(await vendorHttpAgent()).toBe(await vendorHttpAgent());
  });

  it('sends through an injected dispatcher instead of the shared pool', async () => {
    let dispatched = 0;
    const agent = new Agent();
    const counting = agent.compose((dispatch: Dispatcher['dispatch']) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    try {
      const response = await vendorHttpRequest({ dispatcher: counting }, accountRequest('GET'), context);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ sid: sim.accountSid });
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(dispatched).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('fails an already-aborted call with aborted and sends nothing', async () => {
    const error = await failure(vendorHttpRequest({}, accountRequest('POST', AbortSignal.abort()), context));
    expect(error).toMatchObject({ code: 'aborted', outcomeUnknown: false, provider: 'http-test' });
    expect(sim.requests).toHaveLength(0);
  });

  it('maps a timeout signal to timeout, with outcomeUnknown only for a POST that was sent', async () => {
    const timeoutOnceReceived = () => {
      const controller = new AbortController();
      const poll = () => {
        if (sim.requests.length > 0) controller.abort(new DOMException('The attempt timed out', 'TimeoutError'));
        else setTimeout(poll, 5);
      };
      poll();
      return controller.signal;
    };
    sim.inject({ type: 'hang' });
    const post = await failure(vendorHttpRequest({}, accountRequest('POST', timeoutOnceReceived()), context));
    expect(post).toMatchObject({ code: 'timeout', outcomeUnknown: true });
    sim.reset();
    sim.inject({ type: 'hang' });
    const get = await failure(vendorHttpRequest({}, accountRequest('GET', timeoutOnceReceived()), context));
    expect(get).toMatchObject({ code: 'timeout', outcomeUnknown: false });
  });

  it('never marks a read-only request as outcomeUnknown when the connection drops', async () => {
    sim.inject({ type: 'reset' });
    const error = await failure(vendorHttpRequest({}, accountRequest('GET'), context));
    expect(error).toMatchObject({ code: 'connection', outcomeUnknown: false });
  });

  it('shares one pool between concurrent first callers', async () => {
    await closeVendorHttpAgent();
    const agents = await Promise.all(Array.from({ length: 5 }, () => vendorHttpAgent()));
    expect(new Set(agents).size).toBe(1);
  });

  it('opens a new pool after closeVendorHttpAgent', async () => {
    const first = await vendorHttpAgent();
    await closeVendorHttpAgent();
    expect(first.closed).toBe(true);
    expect(await vendorHttpAgent()).not.toBe(first);
    const response = await vendorHttpRequest({}, accountRequest('GET'), context);
    expect(response.status).toBe(200);
  });
});
