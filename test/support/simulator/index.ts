export { startSimulator, type ControlPlaneSimulator, type SimulatorOptions } from './control-plane-simulator';
export type { OperationCounts, SimulatorCounts } from './counts';
export type { FailureRule } from './failure-rules';
export {
  SIM_ACCOUNT_ID,
  SIM_REGION,
  type Fleet,
  type RestApiEndpointType,
  type SimRestApi,
  type SimV2Api,
} from './fleet';
export { generateFleet, type GenerateFleetOptions } from './generate-fleet';
export {
  LISTING_OPERATIONS,
  SIM_OPERATIONS,
  WAF_OPERATIONS,
  WRITE_OPERATIONS,
  type ListingOperation,
  type RestWriteOperation,
  type SimOperation,
  type SingleApiOperation,
  type SingleStageOperation,
  type V2WriteOperation,
  type WafOperation,
  type WriteOperation,
} from './routes';
export { REST_APIS_PAGE } from './rest-api-operations';
export { CACHE_CLUSTER_SIZES } from './rest-update-stage';
export { METHOD_SETTING_PATHS } from './rest-method-settings';
export { apiArnOf, parseApiGatewayArn, stageArnOf, type ApiGatewayResource } from './stage-arn';
export { V2_APIS_PAGE, V2_STAGES_PAGE } from './v2-api-operations';
export type { ApiFamily } from './wire-response';
