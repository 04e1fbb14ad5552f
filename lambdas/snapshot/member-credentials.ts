export type { MemberCredentialsOptions } from '../../shared/credentials';
export { MemberCredentials } from '../../shared/credentials';
