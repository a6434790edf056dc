// RUN: kiln-opt %s --pass-pipeline='builtin.module(gpu.module(kiln-gpu-align-shared-memory))' | FileCheck %s

// Every workgroup attribution gets 16-byte alignment.
// CHECK: gpu.func @k() workgroup(%{{.*}} : memref<1024xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k() workgroup(%a : memref<1024xf16, #gpu.address_space<workgroup>>, %b : memref<8xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}
