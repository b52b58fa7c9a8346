"""The llama.cpp build runs on any x86-64 the product meets: no AVX-512 instruction is compiled in.

A wheel built with `-march=native` on a CPU with AVX-512 and reused from a shared pip cache on one
without stops with an illegal instruction (or worse) at the first matrix product. `make` builds a
portable wheel (Makefile: LLAMA_FLAGS); this checks the one installed, by llama.cpp's own report and
by the machine code itself (an AVX-512 instruction names a zmm register or a k mask).
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
from pathlib import Path

import llama_cpp  # the llamacpp extra, installed by `make`
import pytest

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 builds only")


def _cpu_libraries() -> list[Path]:
    lib = Path(llama_cpp.__file__).parent / "lib"
    return sorted(p for p in lib.glob("libggml-cpu*.so*") if not p.is_symlink()) or sorted(lib.glob("libggml*.so*"))


def test_llama_cpp_reports_no_avx512() -> None:
    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    assert "AVX2 = 1" in info  # the build is not a slow generic one either
    assert "AVX512" not in info, info


def test_no_avx512_instruction_is_in_the_cpu_library() -> None:
    objdump = shutil.which("objdump")
    assert objdump, "objdump (binutils) reads the machine code; Debian's binutils package has it"
    libraries = _cpu_libraries()
    assert libraries
    for path in libraries:
        code = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(path)], capture_output=True, text=True,
                              check=True).stdout
        wide = re.findall(r"%zmm\d+|\{%k[1-7]\}", code)
        assert not wide, f"{path.name} holds AVX-512 instructions ({len(wide)}, e.g. {wide[0]}): not portable"
