// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-approximate-math))' | FileCheck %s

// exp, tanh and erf on vectors become polynomials in arith ops; sqrt (an
// LLVM intrinsic, one instruction) is left alone.
// CHECK-LABEL: func.func @vectors
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: math.fma {{.*}} : vector<8xf32>
// CHECK: math.sqrt %{{.*}} : vector<8xf32>
func.func @vectors(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %e = math.exp %x : vector<8xf32>
  %t = math.tanh %x : vector<8xf32>
  %r = math.erf %x : vector<8xf32>
  %s = math.sqrt %x : vector<8xf32>
  return %e, %t, %r, %s : vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// RISC-V code keeps the math ops (qemu-user 7.2 aborts on the vector
// conversion the polynomials use).
// CHECK-LABEL: func.func @riscv
// CHECK: math.exp %{{.*}} : vector<8xf32>
module attributes {kiln_codegen.target = #kiln_codegen.cpu_target<triple = "riscv64-linux-gnu", cpu = "generic-rv64", features = "+v", vector_bits = 128, vector_registers = 32, l1_bytes = 32768, l2_bytes = 524288, cores = 1, threads = 0, memory_bytes = 1073741824>} {
  func.func @riscv(%x: vector<8xf32>) -> vector<8xf32> {
    %e = math.exp %x : vector<8xf32>
    return %e : vector<8xf32>
  }
}
