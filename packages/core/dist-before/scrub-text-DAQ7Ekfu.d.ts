/**
 * Removes secrets from free text that is about to leave through an error,
 * a log line, a delivery log or a status report — typically a vendor's error
 * message, which may echo the key it refused. Known values are cut out
 * wherever they stand; key-shaped tokens (OpenAI/Anthropic/ElevenLabs `sk-…`,
 * Google `AIza…`, Deepgram and Twilio hex keys, Twilio `SK…`, Meta `EAA…`,
 * JWTs), `Bearer`/`Basic`/`Token` credentials, `key=`/`token=`/`"apiKey":"…"`
 * values and URL userinfo are cut out even when unknown. Runs in linear time on
 * any input (no backtracking regular expressions) and returns at most
 * `maxScrubbedLength` characters. The one scrubber every kind uses for vendor text.
 */
declare function scrubText(text: string, secrets?: readonly (string | undefined)[]): string;

export { scrubText as s };
