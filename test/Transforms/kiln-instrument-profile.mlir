// RUN: kiln-opt %s --kiln-instrument-profile --mlir-print-debuginfo | FileCheck %s

#op0 = loc(fused<{kiln.profile_op = 0 : i64}>["a"])
#op1 = loc(fused<{kiln.profile_op = 1 : i64}>["b"])

// Regions of consecutive top-level ops computing the same nn ops (found in
// the ops nested in them too); an allocation between two ops of one region
// stays inside it; ops that compute none are outside every region. The
// description: every nn op, every region with its ops (region 1 computes
// both: op 0's body was fused into op 1's loop).
// CHECK-DAG: memref.global "private" constant @__kiln_profile_f : memref<{{[0-9]+}}xi8> = dense<
// CHECK-DAG: func.func private @kiln_profile_begin(i64, i64)
// CHECK-DAG: func.func private @kiln_profile_end(i64, i64)
// CHECK-LABEL: func.func @f(
// CHECK-NOT: kiln.profile_ops
// CHECK: %[[G:.*]] = memref.get_global @__kiln_profile_f
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK: %[[T:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK: memref.alloc() {{.*}}: memref<4xf32>
// CHECK: %[[R0:.*]] = arith.constant 0 : i64
// CHECK: call @kiln_profile_begin(%[[T]], %[[R0]])
// CHECK: linalg.fill
// CHECK: memref.alloc() {{.*}}: memref<8xf32>
// CHECK: linalg.fill
// CHECK: call @kiln_profile_end(%[[T]], %[[R0]])
// CHECK: %[[R1:.*]] = arith.constant 1 : i64
// CHECK: call @kiln_profile_begin(%[[T]], %[[R1]])
// CHECK: scf.for
// CHECK: call @kiln_profile_end(%[[T]], %[[R1]])
// CHECK: memref.dealloc
// CHECK: return
func.func @f(%out: memref<4xf32>) attributes {kiln.profile_ops = [{flops = 4.0 : f64, node = "/A", op = "nn.add"}, {flops = 0.0 : f64, node = "/B", op = "nn.relu"}]} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<4xf32>) loc(#op0)
  %b = memref.alloc() : memref<8xf32>
  linalg.fill ins(%zero : f32) outs(%b : memref<8xf32>) loc(#op0)
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %a[%i] : memref<4xf32> loc(#op0)
    %r = arith.maximumf %v, %zero : f32 loc(#op1)
    memref.store %r, %out[%i] : memref<4xf32>
  } loc(#op1)
  memref.dealloc %a : memref<4xf32>
  memref.dealloc %b : memref<8xf32>
  return
}

// A function without the attribute is left alone.
// CHECK-LABEL: func.func @untouched(
// CHECK-NOT: kiln_profile
// CHECK: return
func.func @untouched() {
  return
}
