// The value formatter moved to shared/notify so the CLI reports and the Slack alerts share it.
export { formatValue } from '../../shared/notify/values';
