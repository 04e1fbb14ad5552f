export type { MemberCredentialsOptions } from './member-credentials';
export { MemberCredentials } from './member-credentials';
export { ScopeAccessError } from './errors';
