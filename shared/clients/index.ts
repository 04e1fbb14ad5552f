// AWS SDK clients, built in one place for the Lambdas and the CLI (the only module of shared/
// that constructs any). Not for the pure modules: model/, normalize/ and diff/ never import it.
export type { AccountClientOptions } from './account-clients';
export { createDynamoClient, createStsClient, sdkDefaultRegion } from './account-clients';
export type { AttributionClients, MemberAttributionClients } from './attribution-clients';
export { createAttributionClients, createMemberAttributionClients } from './attribution-clients';
export type { ScopeClientCache, ScopeClientCacheOptions, ScopeRole } from './scope-client-cache';
export { createScopeClientCache } from './scope-client-cache';
export type { ScopeClientOptions, ScopeClients } from './scope-clients';
export { createScopeClients, scopeClientConfig } from './scope-clients';
// The Security Hub clients are imported by path (security-hub-clients.ts): a Lambda loads them only when its setting is on.
