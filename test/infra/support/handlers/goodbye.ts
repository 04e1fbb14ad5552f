/** A second handler for the bundling tests: two functions must get two bundles. */
export const handler = async (): Promise<string> => Promise.resolve('goodbye');
