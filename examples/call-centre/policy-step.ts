// Operations around the calls: a tenant's key entered through the "test connection, then save"
// endpoint, every change in the audit trail (names and fingerprints, never values), and a tenant
// hitting its daily budget and being refused cleanly before any vendor is called.
import { createPatchbay, InMemoryAuditLog, InMemoryCredentialStore, PatchbayError } from '@patchbay/core';
import { createValidateCredentialsHandler } from '@patchbay/core/http';
import { openaiLanguageModelFactory } from '@patchbay/llm/openai';

export async function policyStep(vendors: { openai: { url: string } }): Promise<void> {
  const tenant = 'globex';
  const auditLog = new InMemoryAuditLog();
  const patchbay = createPatchbay({
    factories: [openaiLanguageModelFactory],
    credentialStore: new InMemoryCredentialStore(),
    env: false,
    audit: { sinks: [auditLog] },
    config: {
      providers: {
        'openai-main': {
          kind: 'llm',
          vendor: 'openai',
          settings: { baseURL: `${vendors.openai.url}/v1`, model: 'gpt-4o-mini' },
        },
      },
      routes: { llm: { providers: ['openai-main'] } },
      limits: { 'starter-plan': { tenant: '*', metric: 'requests', max: 2, window: 'day' } },
    },
  });

  console.log('\n🔐 Globex enters its OpenAI key on the integrations page');
  const validate = createValidateCredentialsHandler(patchbay, {
    authorize: (request) =>
      request.headers.get('authorization') === 'Bearer admin-session' ? { actor: 'dana@globex' } : false,
  });
  for (const apiKey of ['sk-typo-0000000000', 'test-key']) {
    const response = await validate(
      new Request('http://127.0.0.1/api/integrations/validate', {
        method: 'POST',
        headers: { authorization: 'Bearer admin-session', 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai-main', tenant, credentials: { apiKey }, save: true }),
      }),
    );
    const answer = (await response.json()) as { valid: boolean; status: string; saved: boolean };
    console.log(
      `  POST /validate → ${response.status} valid=${answer.valid} status=${answer.status} saved=${answer.saved}`,
    );
  }
  const described = await patchbay.credentials.describe(tenant, 'openai-main');
  console.log(`  stored: ${described.fields.map((field) => `${field.name} from ${field.source}`).join(', ')}`);
  await patchbay.updateConfig({ limits: { 'starter-plan': { max: 3 } } }, { actor: 'ops@patchbay' });
  console.log('  Audit trail:');
  console.table(
    (await auditLog.query()).reverse().map((record) => ({
      action: record.action,
      outcome: record.outcome,
      actor: record.actor,
      tenant: record.tenant,
      provider: record.provider,
      fields: record.fields.join(', '),
      after: record.after?.slice(0, 12) ?? '',
    })),
  );

  console.log('💳 Globex is on the starter plan: 3 model calls a day');
  for (let call = 1; call <= 4; call++) {
    try {
      const reply = await patchbay.tenant(tenant).llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
      console.log(`  call ${call}: served by ${reply.provider}`);
    } catch (error) {
      if (!PatchbayError.isInstance(error)) throw error;
      console.log(`  call ${call}: refused (${error.code}) — ${error.message}`);
    }
  }
  await patchbay.close();
}
