export { AbstractProvider, type ConnectionCheck, type ProviderInit } from './abstract-provider.js';
export { ClientCache } from './client-cache.js';
export { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from './provider-factory.js';
