#!/usr/bin/env bash
# The device check in one go, for a short lease on a GPU machine (under 10 minutes): build with
# nvcc, print the devices, run the tests marked gpu (the single-source kernels against their
# host builds bit for bit; the device engine's whole runs against the CPU engine: the engine
# models, the ringtests, the CLI), then the GPU rows of the benchmarks and the kernel timings.
#
#   python benchmarks/gpu_carry.py           (here, with NEURON: writes .gpu-carry/)
#   bash benchmarks/gpu_check.sh             (there; carry .gpu-carry; logs into $OUT if set)
#
# The machine is offline and has no NEURON: .gpu-carry/ brings the lark wheel and NEURON's
# datasets (test-cache/ for the tests, datasets/ for benchmarks/gpu_bench.py). Without it the
# tests that need a NEURON dataset skip and only the bundled example runs.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-$(mktemp -d)}"
status=0
started=$SECONDS

python3 -m venv --system-site-packages /tmp/pcn-gpu-venv
# shellcheck disable=SC1091
source /tmp/pcn-gpu-venv/bin/activate
for wheels in .gpu-carry/wheels .whl; do
  if compgen -G "$wheels/*.whl" >/dev/null; then
    python -m pip install -q --no-index --no-deps "$wheels"/*.whl || status=1
  fi
done
data=/tmp/pcn-gpu-data
if [ -f .gpu-carry/carry.tar.xz ]; then
  mkdir -p "$data" && tar -xJf .gpu-carry/carry.tar.xz -C "$data" || status=1
  export PYCORENEURON_TEST_CACHE="$data/test-cache"
fi
echo "== build (nvcc: $(command -v nvcc)) at $((SECONDS - started)) s"
MAKEFLAGS="-j$(nproc)" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
  python -m pip install -q --no-build-isolation --no-deps . >"$out/build.log" 2>&1 \
  || { status=1; tail -40 "$out/build.log"; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
cd /tmp  # the installed package, not the source tree
python -c "import json, pycoreneuron; print(json.dumps(pycoreneuron.config()['cuda'], indent=1))"
cd - >/dev/null

echo "== tests marked gpu at $((SECONDS - started)) s"
python -m pytest -q -p no:cacheprovider -m gpu -rs -x tests/test_device.py \
  tests/engine/test_device_windows.py 2>&1 | tee "$out/gpu-tests.log" | tail -25 || status=1

echo "== GPU rows at $((SECONDS - started)) s"
if [ -d "$data/datasets" ]; then
  for size in nring16 nring64 nring128 dense10k dense100k dense1m; do
    d="$data/datasets/$size"
    [ -d "$d" ] || continue
    timeout 240 python benchmarks/gpu_bench.py "$d/coredat" --mod "$d/mod" \
      --tstop "$(cat "$d/tstop")" --repeats 1 --json "$out/gpu-bench-$size.json" \
      || status=1
  done
fi

echo "== kernel timings (1.6M compartments) at $((SECONDS - started)) s"
timeout 120 python benchmarks/device_kernels.py | tee "$out/device-kernels.json" || status=1
echo "== done at $((SECONDS - started)) s, status $status"
exit "$status"
