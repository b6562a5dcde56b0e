export {
  CredentialResolver,
  type CredentialResolverOptions,
  type CredentialSourceName,
  type ResolvedCredentials,
} from './credential-resolver.js';
export {
  type CredentialPolicy,
  type CredentialSpec,
  type CredentialsOf,
  defineCredentials,
  policyOf,
  secretInput,
} from './credential-spec.js';
export { type CredentialStore, type CredentialValues, InMemoryCredentialStore } from './credential-store.js';
export {
  EncryptedCredentialStore,
  type EncryptionKeyring,
  InMemorySealedStorage,
  type ReencryptionReport,
  type SealedCredentialStorage,
  type SealedEntry,
  type SealedRow,
  sealedRowKey,
} from './encrypted-credential-store.js';
