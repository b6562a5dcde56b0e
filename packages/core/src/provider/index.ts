export { AbstractProvider, type ConnectionCheck, type ProviderInit } from './abstract-provider.js';
export { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from './provider-factory.js';
