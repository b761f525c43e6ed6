// Finds a Python with PyTorch for the export's tests, and a bin folder where `python3`
// and `torchrun` mean that interpreter, so README commands run exactly as printed.
// Node only. Fails loudly (never skips) when no Python has torch.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TorchPython {
  python: string;
  torchVersion: string;
  pythonVersion: string;
  /** process.env with PATH starting at a folder whose python3 / torchrun use `python`. */
  env: NodeJS.ProcessEnv;
}

const CANDIDATES = ['python3', '/usr/bin/python3', 'python'];

export function findTorchPython(): TorchPython {
  const tried: string[] = [];
  for (const python of [process.env.RISOTTO_PYTHON, ...CANDIDATES].filter((p): p is string => Boolean(p))) {
    const r = spawnSync(python, ['-c', 'import sys, torch; print(torch.__version__); print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    if (r.status === 0) {
      const [torchVersion, pythonVersion] = r.stdout.trim().split('\n');
      return { python, torchVersion, pythonVersion, env: envFor(python) };
    }
    tried.push(`${python}: ${(r.error?.message ?? r.stderr.trim().split('\n').pop() ?? '').slice(0, 120)}`);
  }
  throw new Error(
    `no Python with PyTorch found (tried ${tried.join('; ')}). Install it with \`apt-get install python3-torch python3-torchvision\` (npm run setup does) or set RISOTTO_PYTHON to a python that has torch.`,
  );
}

function envFor(python: string): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(tmpdir(), 'torch-bin-'));
  const resolved = spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(resolved, join(bin, 'python3'));
  writeFileSync(join(bin, 'torchrun'), `#!/bin/sh\nexec "${resolved}" -m torch.distributed.run "$@"\n`);
  chmodSync(join(bin, 'torchrun'), 0o755);
  return { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, PYTHONDONTWRITEBYTECODE: '1' };
}
