// RUN: kiln-opt %s --kiln-gpu-lower-device-constants | FileCheck %s

// A device constant: the runtime's copy of the global's bytes (4 x 3 f16 =
// 24), in a descriptor of the global's shape.
memref.global "private" constant @w : memref<4x3xf16> = dense<1.0>

// CHECK-LABEL: func.func @model(
// CHECK: %[[HOST:.*]] = memref.get_global @w : memref<4x3xf16>
// CHECK: %[[ADDRESS:.*]] = memref.extract_aligned_pointer_as_index %[[HOST]]
// CHECK: %[[I64:.*]] = arith.index_cast %[[ADDRESS]] : index to i64
// CHECK: %[[PTR:.*]] = llvm.inttoptr %[[I64]] : i64 to !llvm.ptr
// CHECK: %[[BYTES:.*]] = llvm.mlir.constant(24 : i64) : i64
// CHECK: %[[DEVICE:.*]] = llvm.call @kiln_cuda_device_constant(%[[PTR]], %[[BYTES]]) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK: llvm.insertvalue %[[DEVICE]], {{.*}}[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: llvm.insertvalue %[[DEVICE]], {{.*}}[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: %[[BUFFER:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<4x3xf16>
// CHECK: return %[[BUFFER]]
// CHECK: llvm.func @kiln_cuda_device_constant(!llvm.ptr, i64) -> !llvm.ptr
func.func @model() -> memref<4x3xf16> {
  %0 = kiln_codegen.device_constant @w : memref<4x3xf16>
  return %0 : memref<4x3xf16>
}
