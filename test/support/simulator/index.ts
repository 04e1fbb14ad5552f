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
  type ListingOperation,
  type SimOperation,
  type SingleApiOperation,
  type SingleStageOperation,
} from './routes';
export { REST_APIS_PAGE } from './rest-api-operations';
export { V2_APIS_PAGE, V2_STAGES_PAGE } from './v2-api-operations';
