/**
 * The Python distribution of the construct library: `jsii-pacmak` generates the `stage_drift`
 * package from the jsii assembly (with the npm tarball of the staging directory inside it), and
 * setuptools builds the wheel. pacmak's own build step installs its build tools from PyPI, which
 * these machines cannot reach, so pacmak only generates the code (`--code-only`) and the wheel is
 * built with a Python that already has setuptools and wheel (`pip wheel --no-build-isolation`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../runtime-contract';

/** Pythons tried in order: the first that has pip, setuptools and wheel builds the wheel. */
const PYTHON_CANDIDATES = [process.env.STAGE_DRIFT_PYTHON, 'python3', '/usr/bin/python3'].filter(
  (p): p is string => Boolean(p),
);

export const findBuildPython = (): string => {
  for (const python of PYTHON_CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import setuptools, wheel, pip'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  throw new Error(
    `no Python with pip, setuptools and wheel found (tried ${PYTHON_CANDIDATES.join(', ')}): ` +
      'install them (Debian: apt install python3-pip python3-setuptools python3-wheel) or set STAGE_DRIFT_PYTHON',
  );
};

export interface PythonWheelOptions {
  /** The jsii staging directory (it holds `.jsii` and the compiled construct library). */
  readonly jsiiDir: string;
  /** Where the wheel goes. */
  readonly outDir: string;
}

/** Generates the Python package and builds its wheel; returns the wheel's path. */
export const buildPythonWheel = (options: PythonWheelOptions): string => {
  const jsiiDir = path.resolve(options.jsiiDir);
  const outDir = path.resolve(options.outDir);
  const codeDir = path.join(path.dirname(jsiiDir), 'pacmak');
  rmSync(codeDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'jsii-pacmak'),
    ['--targets', 'python', '--code-only', '--outdir', codeDir],
    { cwd: jsiiDir, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const python = findBuildPython();
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'wheel',
      '--no-deps',
      '--no-build-isolation',
      '--no-index',
      '--wheel-dir',
      outDir,
      path.join(codeDir, 'python'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } },
  );
  const wheels = readdirSync(outDir).filter((f) => f.endsWith('.whl'));
  if (wheels.length !== 1)
    throw new Error(`expected one wheel in ${outDir}, found: ${wheels.join(', ') || 'none'}`);
  return path.join(outDir, wheels[0]!);
};
