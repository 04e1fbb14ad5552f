/**
 * Runs `act` with stdout and stderr captured (Powertools writes its JSON log lines and EMF
 * blobs there); returns its result and every JSON line printed. Node's own process warnings
 * are not JSON and not ours to check.
 */
export const captureJsonLines = async <T>(
  act: () => Promise<T>,
): Promise<{ result: T; lines: Record<string, unknown>[] }> => {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(record);
  jest.spyOn(process.stderr, 'write').mockImplementation(record);
  let result: T;
  try {
    result = await act();
  } finally {
    jest.restoreAllMocks();
  }
  const lines = chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, lines };
};
