#!/usr/bin/env bash
# Prepares a fair PyTorch CPU peer and prints the environment to run it with:
#   eval "export $(docs/peers/setup-peer.sh | tail -1)"; /usr/bin/python3 docs/peers/torch_bench.py --data samples/src/main/resources/data/tinyshakespeare.txt --config C2 --dtype both
# Debian's torch uses whatever libblas.so.3 the loader finds; the reference BLAS is ~3 GFLOP/s, and the pthread
# OpenBLAS oversubscribes the cores against torch's OpenMP threads, so the OpenMP build of OpenBLAS is unpacked under
# /tmp (the system is left unchanged). OpenBLAS 0.3.21 does not recognise recent Intel cores and falls back to a slow
# kernel (19 instead of 121-150 GFLOP/s float64 on an AVX-512 Xeon), so its core is named from the CPU flags.
# Check with: OPENBLAS_VERBOSE=2 and the G configuration.
set -e
/usr/bin/python3 -c 'import torch' 2>/dev/null || { apt-get update -qq; apt-get install -y -qq python3-torch python3-numpy >/dev/null; }
if [ ! -d /tmp/openblas-openmp/usr ]; then
  d=$(mktemp -d); (cd "$d" && apt-get download -qq libopenblas0-openmp >/dev/null 2>&1)
  mkdir -p /tmp/openblas-openmp; dpkg-deb -x "$d"/libopenblas0-openmp_*.deb /tmp/openblas-openmp
fi
core=""
if grep -q avx512f /proc/cpuinfo; then core=SkylakeX; elif grep -q avx2 /proc/cpuinfo; then core=Haswell; fi
echo "LD_LIBRARY_PATH=/tmp/openblas-openmp/usr/lib/x86_64-linux-gnu/openblas-openmp${core:+ OPENBLAS_CORETYPE=$core}"
