// RUN: kiln-opt %s --kiln-tag-profiled-ops --mlir-print-debuginfo | FileCheck %s

// Every nn op but constants gets a number in its location, and the function
// the list of them: name, source (the innermost name, else file:line:col)
// and FLOPs (2 * 2 * 3 * 4 for the matmul, one per element for the rest).
// CHECK-LABEL: func.func @f(
// CHECK-SAME: kiln.profile_ops = [
// CHECK-SAME: {flops = 4.800000e+01 : f64, node = "/MatMul", op = "nn.matmul"},
// CHECK-SAME: {flops = 6.000000e+00 : f64, node = "/Relu", op = "nn.relu"},
// CHECK-SAME: {flops = 0.000000e+00 : f64, node = "model.mlir:7:3", op = "nn.reshape"}]
// CHECK: nn.constant {{.*}} loc(#[[CONST:loc[0-9]*]])
// CHECK: nn.matmul {{.*}} loc(#[[MM:loc[0-9]*]])
// CHECK: nn.relu {{.*}} loc(#[[RELU:loc[0-9]*]])
// CHECK: nn.reshape {{.*}} loc(#[[RESHAPE:loc[0-9]*]])
// CHECK-DAG: #[[CONST]] = loc("weights")
// CHECK-DAG: #[[MM]] = loc(fused<{kiln.profile_op = 0 : i64}>[#{{loc[0-9]*}}])
// CHECK-DAG: #[[RELU]] = loc(fused<{kiln.profile_op = 1 : i64}>[#{{loc[0-9]*}}])
// CHECK-DAG: #[[RESHAPE]] = loc(fused<{kiln.profile_op = 2 : i64}>[#{{loc[0-9]*}}])
func.func @f(%x: tensor<2x4xf32>) -> tensor<6xf32> {
  %w = nn.constant dense<1.0> : tensor<4x3xf32> loc("weights")
  %0 = nn.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32> loc("/MatMul"("model.onnx":0:0))
  %1 = nn.relu %0 : tensor<2x3xf32> loc("/Relu"("model.onnx":0:0))
  %2 = nn.reshape %1 [6] : tensor<2x3xf32> -> tensor<6xf32> loc("model.mlir":7:3)
  return %2 : tensor<6xf32>
}
