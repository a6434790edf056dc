# -*- Python -*-
# lit configuration for Kiln's regression tests.

import os
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "corpus", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

config.substitutions.append(("%kiln_src_root", config.kiln_src_root))
config.substitutions.append(("%kiln_obj_root", config.kiln_obj_root))
config.substitutions.append(("%python", config.python_executable))
# Runs a command as an unprivileged user when the tests run as root, for the
# tests of what a user may not write (root may write anything).
config.substitutions.append((
    "%unprivileged",
    "setpriv --reuid=65534 --regid=65534 --clear-groups"
    if os.geteuid() == 0 else ""))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.kiln_tools_dir, append_path=True)

tools = [
    ToolSubst("kiln-compile", unresolved="fatal"),
    ToolSubst("kiln-opt", unresolved="fatal"),
    ToolSubst("kiln-run", unresolved="fatal"),
    ToolSubst("kiln-test-nn-builders", unresolved="fatal"),
    ToolSubst("kiln-test-runtime", unresolved="fatal"),
    ToolSubst("kiln-test-cuda-runtime", unresolved="fatal"),
    ToolSubst("kiln-tune", unresolved="fatal"),
    ToolSubst("kiln-test-tuning-db", unresolved="fatal"),
    ToolSubst("kiln-translate", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.kiln_tools_dir])

# The CUDA toolkit's stub driver (a libcuda.so whose cuInit always fails):
# tests of what Kiln says on a machine with the toolkit and no driver.
cuda_stub_driver = "/usr/local/cuda/lib64/stubs/libcuda.so"
if os.path.exists(cuda_stub_driver):
    config.available_features.add("cuda-stub-driver")
    config.substitutions.append(("%cuda_stub_driver", cuda_stub_driver))

# ptxas (the CUDA toolkit's PTX assembler) checks PTX without a GPU.
ptxas = "/usr/local/cuda/bin/ptxas"
if os.path.exists(ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

# A usable CUDA device (driver, device 0): the tests that run kernels. Where
# there is none, they are reported UNSUPPORTED and this note says why.
probe = os.path.join(config.kiln_tools_dir, "kiln-test-cuda-runtime")
if os.path.exists(probe):
    result = subprocess.run([probe, "probe"], capture_output=True, text=True)
    if result.returncode == 0:
        config.available_features.add("cuda-device")
    else:
        lit_config.note("tests that need a CUDA device are skipped: "
                        + result.stdout.strip())
