// The Python files of the PyTorch export, as text. They live in pytorch/ at the repo
// root, where the Python tests import them directly; the exporter copies them verbatim.

import checkParity from '../../../pytorch/check_parity.py?raw';
import data from '../../../pytorch/data.py?raw';
import diagnostics from '../../../pytorch/diagnostics.py?raw';
import history from '../../../pytorch/history.py?raw';
import init from '../../../pytorch/init.py?raw';
import mixup from '../../../pytorch/mixup.py?raw';
import model from '../../../pytorch/model.py?raw';
import safetensorsIo from '../../../pytorch/safetensors_io.py?raw';
import train from '../../../pytorch/train.py?raw';

export const PYTHON_SOURCES: Readonly<Record<string, string>> = {
  'model.py': model,
  'init.py': init,
  'train.py': train,
  'data.py': data,
  'mixup.py': mixup,
  'safetensors_io.py': safetensorsIo,
  'check_parity.py': checkParity,
  'diagnostics.py': diagnostics,
  'history.py': history,
};
