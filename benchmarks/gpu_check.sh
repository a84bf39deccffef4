#!/usr/bin/env bash
# The device check in one go, for a short lease on a GPU machine (well under 10 minutes):
# build with nvcc, print the devices, run the tests marked gpu (the single-source kernels on
# the device against their host builds, bit for bit), the CPU tests of the device layout, the
# kernel timings, and --gpu's answer on the bundled example.
#
#   bash benchmarks/gpu_check.sh            (logs also into $OUT when it is set)
#
# The machine is offline: what its image lacks travels as wheels in .whl/ (ignored by git).
# Of our build and run dependencies only lark is missing there; fetch it here first with
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
#       --implementation cp --platform manylinux2014_x86_64 -d .whl lark
# (lark is pure Python: any platform tag does). No NEURON there: the tests that need it skip.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-$(mktemp -d)}"
status=0

python3 -m venv --system-site-packages /tmp/pcn-gpu-venv
# shellcheck disable=SC1091
source /tmp/pcn-gpu-venv/bin/activate
if compgen -G ".whl/*.whl" >/dev/null; then
  python -m pip install -q --no-index --no-deps .whl/*.whl || status=1
fi
echo "== build (nvcc: $(command -v nvcc))"
python -m pip install -q --no-build-isolation --no-deps . >"$out/build.log" 2>&1 \
  || { status=1; tail -40 "$out/build.log"; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
cd /tmp  # the installed package, not the source tree
python -c "import json, pycoreneuron; print(json.dumps(pycoreneuron.config()['cuda'], indent=1))"
cd - >/dev/null

echo "== tests marked gpu (device against host, bit for bit)"
python -m pytest -q -p no:cacheprovider -m gpu -rs tests/test_device.py 2>&1 \
  | tee "$out/gpu-tests.log" || status=1
echo "== CPU tests of the device layout"
python -m pytest -q -p no:cacheprovider tests/test_hines.py tests/test_device.py 2>&1 \
  | tail -3 || status=1

echo "== kernel timings (1.6M compartments)"
python benchmarks/device_kernels.py | tee "$out/device-kernels.json" || status=1

echo "== --gpu on the bundled example, and -R 1 (the device layout on the CPU)"
tmp="$(mktemp -d)"
pycoreneuron-run --gpu -e 100 -d examples/ringtest/coredat -o "$tmp"; echo "exit $?"
pycoreneuron-run -R 1 -e 100 -d examples/ringtest/coredat -o "$tmp" --verbose 0 \
  && python - "$tmp/out.dat" examples/ringtest/spk1.std <<'PY' || status=1
import sys
ours = sorted((f"{float(t):g}", int(g)) for t, g in (l.split() for l in open(sys.argv[1])))
neuron = sorted((f"{float(t):g}", int(g)) for t, g in (l.split() for l in open(sys.argv[2])))
print("-R 1 spikes equal NEURON's:", ours == neuron, len(ours))
sys.exit(0 if ours == neuron else 1)
PY
exit "$status"
