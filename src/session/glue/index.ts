// The Glue backend's public surface. Nothing here loads the AWS SDK: it is required on the
// first call that needs AWS (clients.ts).
export { GlueBackend, type GlueBackendOptions } from './glue-backend';
export type { SessionListEntry, SessionOperations } from '../backend';
export {
  configSessionRequest,
  type ConfigSessionRequestOptions,
  type CreateSessionRequestProvider,
  type PartialCreateSessionRequest,
  type SessionRequestHelpers,
} from './session-request';
export { type AwsClientSettings, type AssumeRoleSetting, checkRegion, sdkLoaded } from './clients';
export { GlueKernelError } from './errors';
export {
  type CallerIdentity,
  RoleNotFoundError,
  assumedRoleName,
  partitionForRegion,
  sessionArn,
} from './identity';
export {
  STATEMENT_SCHEDULE,
  SESSION_SCHEDULE,
  REFERENCE_SCHEDULE,
  pollDelay,
  simulatePolls,
  referenceSimulation,
  type PollSchedule,
} from './poll';
