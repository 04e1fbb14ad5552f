/** A handler for the bundling tests: the smallest entry MonitorFunction can bundle. */
export const handler = async (): Promise<string> => Promise.resolve('hello');
