// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-merge-kernel-modules)' | FileCheck %s

// Every kernel in one module, `kiln_kernels`; a kernel whose name is taken
// gets its module's; the launches follow.
// CHECK: gpu.module @kiln_kernels {
// CHECK:   gpu.func @f_kernel(
// CHECK:   gpu.func @f_kernel_0(
// CHECK: }
// CHECK-NOT: gpu.module
// CHECK: func.func @f
// CHECK: gpu.launch_func @kiln_kernels::@f_kernel
// CHECK: gpu.launch_func @kiln_kernels::@f_kernel_0
module attributes {gpu.container_module} {
  gpu.module @f_kernel {
    gpu.func @f_kernel(%x: memref<8xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @f_kernel_0 {
    gpu.func @f_kernel(%x: memref<8xf32>) kernel {
      gpu.return
    }
  }
  func.func @f(%x: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @f_kernel::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<8xf32>)
    gpu.launch_func @f_kernel_0::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<8xf32>)
    return
  }
}
