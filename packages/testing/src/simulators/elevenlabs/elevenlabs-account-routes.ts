import { type SimulatorRoute, sendJson } from '../framework/index.js';
import { checkElevenLabsKey, type ElevenLabsSimulatorState } from './elevenlabs-simulator-state.js';

function subscription(state: ElevenLabsSimulatorState) {
  return {
    tier: 'creator',
    character_count: state.characterCount,
    character_limit: state.characterLimit,
    max_character_limit_extension: 0,
    max_credit_limit_extension: 0,
    can_extend_character_limit: false,
    allowed_to_extend_character_limit: false,
    next_character_count_reset_unix: 1_800_000_000,
    voice_slots_used: 0,
    professional_voice_slots_used: 0,
    professional_voice_slots_used_in_workspace: 0,
    voice_limit: 30,
    voice_add_edit_counter: 0,
    professional_voice_limit: 1,
    can_extend_voice_limit: false,
    can_use_instant_voice_cloning: true,
    can_use_professional_voice_cloning: true,
    currency: 'usd',
    current_overage: { amount: '0.00', currency: 'usd' },
    status: 'active',
    billing_period: 'monthly_period',
    character_refresh_period: 'monthly_period',
    open_invoices: [],
    has_open_invoices: false,
  };
}

/** Voices (`/v1/voices`, `/v2/voices`) and the account (`/v1/user`, `/v1/user/subscription`). */
export function elevenlabsAccountRoutes(state: ElevenLabsSimulatorState): SimulatorRoute[] {
  const voices = () =>
    state.voices.map((voice) => ({
      voice_id: voice.voice_id,
      name: voice.name,
      category: voice.category ?? 'premade',
      labels: voice.labels ?? {},
      description: null,
      preview_url: voice.preview_url ?? null,
      available_for_tiers: [],
      high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_flash_v2_5'],
    }));
  return [
    {
      method: 'GET',
      path: '/v1/voices',
      handler: (exchange) => {
        if (checkElevenLabsKey(exchange, state)) sendJson(exchange.response, 200, { voices: voices() });
      },
    },
    {
      method: 'GET',
      path: '/v2/voices',
      handler: (exchange) => {
        if (!checkElevenLabsKey(exchange, state)) return;
        const pageSize = Number(exchange.request.query.get('page_size') ?? 10);
        const all = voices();
        sendJson(exchange.response, 200, {
          voices: all.slice(0, pageSize),
          has_more: all.length > pageSize,
          total_count: all.length,
          next_page_token: null,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/user/subscription',
      handler: (exchange) => {
        if (checkElevenLabsKey(exchange, state)) sendJson(exchange.response, 200, subscription(state));
      },
    },
    {
      method: 'GET',
      path: '/v1/user',
      handler: (exchange) => {
        if (!checkElevenLabsKey(exchange, state)) return;
        sendJson(exchange.response, 200, {
          user_id: 'user_simulated',
          workspace_id: 'workspace_simulated',
          subscription: subscription(state),
          is_new_user: false,
          can_use_delayed_payment_methods: false,
          is_onboarding_completed: true,
          is_onboarding_checklist_completed: true,
          first_name: 'Sim',
          created_at: 1_700_000_000,
          seat_type: 'workspace_admin',
        });
      },
    },
  ];
}
