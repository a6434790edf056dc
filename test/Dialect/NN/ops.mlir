// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Every nn op round-trips through its custom assembly, and its generic form
// parses back to the same custom form. Optional attributes are exercised both
// present and absent; an attribute spelled with its default value is elided.

//===----------------------------------------------------------------------===//
// nn.constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constant_dense
func.func @constant_dense() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<4xbf16>, tensor<f64>, tensor<3xi1>) {
  // CHECK: nn.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf32>
  %0 = nn.constant dense<[1.0, 2.5]> : tensor<2xf32>
  // CHECK: nn.constant dense<{{\[}}[1, -2], [3, 4]]> : tensor<2x2xi64>
  %1 = nn.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi64>
  // CHECK: nn.constant dense<5.000000e-01> : tensor<4xbf16>
  %2 = nn.constant dense<0.5> : tensor<4xbf16>
  // CHECK: nn.constant dense<-1.250000e+00> : tensor<f64>
  %3 = nn.constant dense<-1.25> : tensor<f64>
  // CHECK: nn.constant dense<[true, false, true]> : tensor<3xi1>
  %4 = nn.constant dense<[true, false, true]> : tensor<3xi1>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2x2xi64>, tensor<4xbf16>, tensor<f64>, tensor<3xi1>
}

// CHECK-LABEL: func.func @constant_resource
func.func @constant_resource() -> (tensor<2x2xf32>, tensor<2xf16>) {
  // CHECK: nn.constant dense_resource<conv_weight> : tensor<2x2xf32>
  %0 = nn.constant dense_resource<conv_weight> : tensor<2x2xf32>
  // CHECK: nn.constant dense_resource<half_bias> : tensor<2xf16>
  %1 = nn.constant dense_resource<half_bias> : tensor<2xf16>
  return %0, %1 : tensor<2x2xf32>, tensor<2xf16>
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @relu_sigmoid_tanh
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x64xf32>
func.func @relu_sigmoid_tanh(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  // CHECK: %[[A:.+]] = nn.relu %[[X]] : tensor<1x64xf32>
  %0 = nn.relu %x : tensor<1x64xf32>
  // CHECK: %[[B:.+]] = nn.sigmoid %[[A]] : tensor<1x64xf32>
  %1 = nn.sigmoid %0 : tensor<1x64xf32>
  // CHECK: nn.tanh %[[B]] : tensor<1x64xf32>
  %2 = nn.tanh %1 : tensor<1x64xf32>
  return %2 : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @leaky_relu
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x64xf32>
func.func @leaky_relu(%x: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  // CHECK: nn.leaky_relu %[[X]] : tensor<?x64xf32>
  %0 = nn.leaky_relu %x : tensor<?x64xf32>
  // CHECK: nn.leaky_relu %[[X]] alpha 2.000000e-01 : tensor<?x64xf32>
  %1 = nn.leaky_relu %x alpha 0.2 : tensor<?x64xf32>
  // The default is elided.
  // CHECK: nn.leaky_relu %[[X]] : tensor<?x64xf32>
  %2 = nn.leaky_relu %x alpha 0.01 : tensor<?x64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @gelu
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x768xbf16>
func.func @gelu(%x: tensor<2x768xbf16>) -> (tensor<2x768xbf16>, tensor<2x768xbf16>, tensor<2x768xbf16>) {
  // CHECK: nn.gelu %[[X]] : tensor<2x768xbf16>
  %0 = nn.gelu %x : tensor<2x768xbf16>
  // CHECK: nn.gelu %[[X]] approximate none : tensor<2x768xbf16>
  %1 = nn.gelu %x approximate none : tensor<2x768xbf16>
  // CHECK: nn.gelu %[[X]] approximate tanh : tensor<2x768xbf16>
  %2 = nn.gelu %x approximate tanh : tensor<2x768xbf16>
  return %0, %1, %2 : tensor<2x768xbf16>, tensor<2x768xbf16>, tensor<2x768xbf16>
}

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x10xf32>
func.func @softmax(%x: tensor<8x10xf32>) -> (tensor<8x10xf32>, tensor<8x10xf32>, tensor<8x10xf32>, tensor<8x10xf32>) {
  // CHECK: nn.softmax %[[X]] : tensor<8x10xf32>
  %0 = nn.softmax %x : tensor<8x10xf32>
  // CHECK: nn.softmax %[[X]] axis 0 : tensor<8x10xf32>
  %1 = nn.softmax %x axis 0 : tensor<8x10xf32>
  // CHECK: nn.log_softmax %[[X]] : tensor<8x10xf32>
  %2 = nn.log_softmax %x : tensor<8x10xf32>
  // CHECK: nn.log_softmax %[[X]] axis -2 : tensor<8x10xf32>
  %3 = nn.log_softmax %x axis -2 : tensor<8x10xf32>
  return %0, %1, %2, %3 : tensor<8x10xf32>, tensor<8x10xf32>, tensor<8x10xf32>, tensor<8x10xf32>
}

// CHECK-LABEL: func.func @clip
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x32xf16>
func.func @clip(%x: tensor<1x32xf16>) -> (tensor<1x32xf16>, tensor<1x32xf16>, tensor<1x32xf16>, tensor<1x32xf16>) {
  // CHECK: nn.clip %[[X]] min 0.000000e+00 max 6.000000e+00 : tensor<1x32xf16>
  %0 = nn.clip %x min 0.0 max 6.0 : tensor<1x32xf16>
  // CHECK: nn.clip %[[X]] min -1.000000e+00 : tensor<1x32xf16>
  %1 = nn.clip %x min -1.0 : tensor<1x32xf16>
  // CHECK: nn.clip %[[X]] max 1.000000e+00 : tensor<1x32xf16>
  %2 = nn.clip %x max 1.0 : tensor<1x32xf16>
  // CHECK: nn.clip %[[X]] : tensor<1x32xf16>
  %3 = nn.clip %x : tensor<1x32xf16>
  return %0, %1, %2, %3 : tensor<1x32xf16>, tensor<1x32xf16>, tensor<1x32xf16>, tensor<1x32xf16>
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x16xf32>, %[[B:[^:]+]]: tensor<16xf32>
func.func @binary(%x: tensor<?x16xf32>, %b: tensor<16xf32>) -> tensor<?x16xf32> {
  // CHECK: %[[ADD:.+]] = nn.add %[[X]], %[[B]] : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %0 = nn.add %x, %b : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[SUB:.+]] = nn.sub %[[B]], %[[ADD]] : (tensor<16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  %1 = nn.sub %b, %0 : (tensor<16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[MUL:.+]] = nn.mul %[[SUB]], %[[X]] : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  %2 = nn.mul %1, %x : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[DIV:.+]] = nn.div %[[MUL]], %[[B]] : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %3 = nn.div %2, %b : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[POW:.+]] = nn.pow %[[DIV]], %[[B]] : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %4 = nn.pow %3, %b : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  // CHECK: %[[MAX:.+]] = nn.maximum %[[POW]], %[[X]] : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  %5 = nn.maximum %4, %x : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
  // CHECK: nn.minimum %[[MAX]], %[[B]] : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %6 = nn.minimum %5, %b : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  return %6 : tensor<?x16xf32>
}

// CHECK-LABEL: func.func @binary_f16_rank0
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf16>, %[[S:[^:]+]]: tensor<f16>
func.func @binary_f16_rank0(%x: tensor<2x3xf16>, %s: tensor<f16>) -> tensor<2x3xf16> {
  // CHECK: nn.mul %[[S]], %[[X]] : (tensor<f16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  %0 = nn.mul %s, %x : (tensor<f16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @unary_math
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x4xf64>
func.func @unary_math(%x: tensor<4x4xf64>) -> tensor<4x4xf64> {
  // CHECK: %[[EXP:.+]] = nn.exp %[[X]] : tensor<4x4xf64>
  %0 = nn.exp %x : tensor<4x4xf64>
  // CHECK: %[[LOG:.+]] = nn.log %[[EXP]] : tensor<4x4xf64>
  %1 = nn.log %0 : tensor<4x4xf64>
  // CHECK: %[[SQRT:.+]] = nn.sqrt %[[LOG]] : tensor<4x4xf64>
  %2 = nn.sqrt %1 : tensor<4x4xf64>
  // CHECK: %[[RSQRT:.+]] = nn.rsqrt %[[SQRT]] : tensor<4x4xf64>
  %3 = nn.rsqrt %2 : tensor<4x4xf64>
  // CHECK: %[[NEG:.+]] = nn.neg %[[RSQRT]] : tensor<4x4xf64>
  %4 = nn.neg %3 : tensor<4x4xf64>
  // CHECK: %[[ABS:.+]] = nn.abs %[[NEG]] : tensor<4x4xf64>
  %5 = nn.abs %4 : tensor<4x4xf64>
  // CHECK: %[[ERF:.+]] = nn.erf %[[ABS]] : tensor<4x4xf64>
  %6 = nn.erf %5 : tensor<4x4xf64>
  // CHECK: %[[FLOOR:.+]] = nn.floor %[[ERF]] : tensor<4x4xf64>
  %7 = nn.floor %6 : tensor<4x4xf64>
  // CHECK: %[[CEIL:.+]] = nn.ceil %[[FLOOR]] : tensor<4x4xf64>
  %8 = nn.ceil %7 : tensor<4x4xf64>
  // CHECK: nn.round %[[CEIL]] : tensor<4x4xf64>
  %9 = nn.round %8 : tensor<4x4xf64>
  return %9 : tensor<4x4xf64>
}

// Integer arithmetic (signed).
// CHECK-LABEL: func.func @integer_binary
func.func @integer_binary(%a: tensor<4xi64>, %b: tensor<i64>) -> tensor<4xi64> {
  // CHECK: nn.add %{{.*}}, %{{.*}} : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %0 = nn.add %a, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  // CHECK: nn.div
  %1 = nn.div %0, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  // CHECK: nn.maximum
  %2 = nn.maximum %1, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %2 : tensor<4xi64>
}

// Unsigned integers.
// CHECK-LABEL: func.func @unsigned
func.func @unsigned(%a: tensor<1x1x4x4xui8>, %b: tensor<ui8>) -> (tensor<1x1x2x2xui8>, tensor<1x1x4x4xi1>, tensor<1x1x4x4xf32>) {
  // CHECK: nn.div %{{.*}}, %{{.*}} : (tensor<1x1x4x4xui8>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  %0 = nn.div %a, %b : (tensor<1x1x4x4xui8>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  // CHECK: nn.max_pool2d %{{.*}} kernel [2, 2] strides [2, 2] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
  %1 = nn.max_pool2d %0 kernel [2, 2] strides [2, 2] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
  // CHECK: nn.greater
  %2 = nn.greater %a, %b : (tensor<1x1x4x4xui8>, tensor<ui8>) -> tensor<1x1x4x4xi1>
  // CHECK: nn.cast %{{.*}} : tensor<1x1x4x4xui8> -> tensor<1x1x4x4xf32>
  %3 = nn.cast %a : tensor<1x1x4x4xui8> -> tensor<1x1x4x4xf32>
  return %1, %2, %3 : tensor<1x1x2x2xui8>, tensor<1x1x4x4xi1>, tensor<1x1x4x4xf32>
}

// Trigonometric and hyperbolic functions, remainders.
// CHECK-LABEL: func.func @trig_rem
func.func @trig_rem(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  // CHECK: nn.sin
  %0 = nn.sin %x : tensor<4xf32>
  // CHECK: nn.cos
  %1 = nn.cos %0 : tensor<4xf32>
  // CHECK: nn.tan
  %2 = nn.tan %1 : tensor<4xf32>
  // CHECK: nn.asin
  %3 = nn.asin %2 : tensor<4xf32>
  // CHECK: nn.acos
  %4 = nn.acos %3 : tensor<4xf32>
  // CHECK: nn.atan
  %5 = nn.atan %4 : tensor<4xf32>
  // CHECK: nn.sinh
  %6 = nn.sinh %5 : tensor<4xf32>
  // CHECK: nn.cosh
  %7 = nn.cosh %6 : tensor<4xf32>
  // CHECK: nn.asinh
  %8 = nn.asinh %7 : tensor<4xf32>
  // CHECK: nn.acosh
  %9 = nn.acosh %8 : tensor<4xf32>
  // CHECK: nn.atanh %{{.*}} : tensor<4xf32>
  %10 = nn.atanh %9 : tensor<4xf32>
  // CHECK: nn.rem %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %11 = nn.rem %10, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: nn.rem %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %12 = nn.rem %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: nn.shift_left %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %c = nn.constant dense<3> : tensor<i32>
  %13 = nn.shift_left %12, %c : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  // CHECK: nn.shift_right
  %14 = nn.shift_right %13, %c : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  return %11, %14 : tensor<4xf32>, tensor<4xi32>
}

// CHECK-LABEL: func.func @compare_select_cast
func.func @compare_select_cast(%x: tensor<2x3xf32>, %t: tensor<f32>, %i: tensor<3xi64>) -> (tensor<2x3xf32>, tensor<3xi1>, tensor<3xf32>) {
  // CHECK: nn.less %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %m = nn.less %x, %t : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  // CHECK: nn.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %y = nn.select %m, %x, %t : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: nn.equal {{.*}} -> tensor<3xi1>
  %e = nn.equal %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  // CHECK: nn.greater_equal {{.*}} -> tensor<3xi1>
  %g = nn.greater_equal %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  // CHECK: nn.cast %{{.*}} : tensor<3xi64> -> tensor<3xf32>
  %c = nn.cast %i : tensor<3xi64> -> tensor<3xf32>
  return %y, %g, %c : tensor<2x3xf32>, tensor<3xi1>, tensor<3xf32>
}

//===----------------------------------------------------------------------===//
// matmul, dense
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: %[[A:[^:]+]]: tensor<8x64x32xf32>, %[[B:[^:]+]]: tensor<32x16xf32>, %[[C:[^:]+]]: tensor<?x1x4x8xf64>, %[[D:[^:]+]]: tensor<3x8x2xf64>
func.func @matmul(%a: tensor<8x64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<?x1x4x8xf64>, %d: tensor<3x8x2xf64>) -> (tensor<8x64x16xf32>, tensor<?x3x4x2xf64>) {
  // CHECK: nn.matmul %[[A]], %[[B]] : (tensor<8x64x32xf32>, tensor<32x16xf32>) -> tensor<8x64x16xf32>
  %0 = nn.matmul %a, %b : (tensor<8x64x32xf32>, tensor<32x16xf32>) -> tensor<8x64x16xf32>
  // CHECK: nn.matmul %[[C]], %[[D]] : (tensor<?x1x4x8xf64>, tensor<3x8x2xf64>) -> tensor<?x3x4x2xf64>
  %1 = nn.matmul %c, %d : (tensor<?x1x4x8xf64>, tensor<3x8x2xf64>) -> tensor<?x3x4x2xf64>
  return %0, %1 : tensor<8x64x16xf32>, tensor<?x3x4x2xf64>
}

// CHECK-LABEL: func.func @dense
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x784xf32>, %[[W:[^:]+]]: tensor<128x784xf32>, %[[B:[^:]+]]: tensor<128xf32>, %[[S:[^:]+]]: tensor<2x?x784xf32>
func.func @dense(%x: tensor<?x784xf32>, %w: tensor<128x784xf32>, %b: tensor<128xf32>, %s: tensor<2x?x784xf32>) -> (tensor<?x128xf32>, tensor<2x?x128xf32>) {
  // CHECK: nn.dense %[[X]], %[[W]], %[[B]] : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  %0 = nn.dense %x, %w, %b : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  // CHECK: nn.dense %[[S]], %[[W]] : (tensor<2x?x784xf32>, tensor<128x784xf32>) -> tensor<2x?x128xf32>
  %1 = nn.dense %s, %w : (tensor<2x?x784xf32>, tensor<128x784xf32>) -> tensor<2x?x128xf32>
  return %0, %1 : tensor<?x128xf32>, tensor<2x?x128xf32>
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x224x224xf32>, %[[W:[^:]+]]: tensor<64x3x7x7xf32>, %[[B:[^:]+]]: tensor<64xf32>, %[[DW:[^:]+]]: tensor<64x1x3x3xf32>
func.func @conv2d(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>, %dw: tensor<64x1x3x3xf32>) -> (tensor<1x64x218x218xf32>, tensor<1x64x113x112xf32>) {
  // No attributes, no bias.
  // CHECK: nn.conv2d %[[X]], %[[W]] : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x218x218xf32>
  %0 = nn.conv2d %x, %w : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x218x218xf32>
  // Bias and every attribute; `groups 1` is the default and is elided.
  // CHECK: %[[Y:.+]] = nn.conv2d %[[X]], %[[W]], %[[B]] strides [2, 2] padding [3, 2, 4, 3] dilations [1, 1] : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x113x112xf32>
  %1 = nn.conv2d %x, %w, %b strides [2, 2] padding [3, 2, 4, 3] dilations [1, 1] groups 1 : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x113x112xf32>
  // Depthwise, dilated.
  // CHECK: nn.conv2d %[[Y]], %[[DW]] padding [2, 2, 2, 2] dilations [2, 2] groups 64 : (tensor<1x64x113x112xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x113x112xf32>
  %2 = nn.conv2d %1, %dw padding [2, 2, 2, 2] dilations [2, 2] groups 64 : (tensor<1x64x113x112xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x113x112xf32>
  return %0, %2 : tensor<1x64x218x218xf32>, tensor<1x64x113x112xf32>
}

// CHECK-LABEL: func.func @conv2d_dynamic_batch
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x4x9x9xf16>, %[[W:[^:]+]]: tensor<8x2x3x3xf16>
func.func @conv2d_dynamic_batch(%x: tensor<?x4x9x9xf16>, %w: tensor<8x2x3x3xf16>) -> tensor<?x8x4x4xf16> {
  // CHECK: nn.conv2d %[[X]], %[[W]] strides [2, 2] groups 2 : (tensor<?x4x9x9xf16>, tensor<8x2x3x3xf16>) -> tensor<?x8x4x4xf16>
  %0 = nn.conv2d %x, %w strides [2, 2] groups 2 : (tensor<?x4x9x9xf16>, tensor<8x2x3x3xf16>) -> tensor<?x8x4x4xf16>
  return %0 : tensor<?x8x4x4xf16>
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x64x56x56xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[B:[^:]+]]: tensor<64xf32>, %[[M:[^:]+]]: tensor<64xf32>, %[[V:[^:]+]]: tensor<64xf32>
func.func @batch_norm(%x: tensor<?x64x56x56xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %m: tensor<64xf32>, %v: tensor<64xf32>) -> (tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>) {
  // CHECK: nn.batch_norm %[[X]], %[[G]], %[[B]], %[[M]], %[[V]] : (tensor<?x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64x56x56xf32>
  %0 = nn.batch_norm %x, %g, %b, %m, %v : (tensor<?x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64x56x56xf32>
  // CHECK: nn.batch_norm %[[X]], %[[G]], %[[B]], %[[M]], %[[V]] epsilon 1.000000e-03 : (tensor<?x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64x56x56xf32>
  %1 = nn.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-3 : (tensor<?x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64x56x56xf32>
  return %0, %1 : tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x16x768xf32>, %[[G:[^:]+]]: tensor<768xf32>, %[[B:[^:]+]]: tensor<768xf32>, %[[G2:[^:]+]]: tensor<16x768xf32>
func.func @layer_norm(%x: tensor<2x16x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>, %g2: tensor<16x768xf32>) -> (tensor<2x16x768xf32>, tensor<2x16x768xf32>, tensor<2x16x768xf32>) {
  // CHECK: nn.layer_norm %[[X]], %[[G]], %[[B]] : (tensor<2x16x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x16x768xf32>
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x16x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x16x768xf32>
  // CHECK: nn.layer_norm %[[X]], %[[G]] epsilon 1.000000e-03 : (tensor<2x16x768xf32>, tensor<768xf32>) -> tensor<2x16x768xf32>
  %1 = nn.layer_norm %x, %g epsilon 1.0e-3 : (tensor<2x16x768xf32>, tensor<768xf32>) -> tensor<2x16x768xf32>
  // CHECK: nn.layer_norm %[[X]], %[[G2]] axis 1 epsilon 1.000000e-03 : (tensor<2x16x768xf32>, tensor<16x768xf32>) -> tensor<2x16x768xf32>
  %2 = nn.layer_norm %x, %g2 axis 1 epsilon 1.0e-3 : (tensor<2x16x768xf32>, tensor<16x768xf32>) -> tensor<2x16x768xf32>
  return %0, %1, %2 : tensor<2x16x768xf32>, tensor<2x16x768xf32>, tensor<2x16x768xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x64x112x112xf32>
func.func @max_pool2d(%x: tensor<1x64x112x112xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x111x111xf32>, tensor<1x64x54x54xf32>, tensor<1x64x38x38xf32>) {
  // CHECK: nn.max_pool2d %[[X]] kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // CHECK: nn.max_pool2d %[[X]] kernel [2, 2] : tensor<1x64x112x112xf32> -> tensor<1x64x111x111xf32>
  %1 = nn.max_pool2d %x kernel [2, 2] : tensor<1x64x112x112xf32> -> tensor<1x64x111x111xf32>
  // CHECK: nn.max_pool2d %[[X]] kernel [3, 3] strides [2, 2] dilations [2, 2] rounding floor : tensor<1x64x112x112xf32> -> tensor<1x64x54x54xf32>
  %2 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] dilations [2, 2] rounding floor : tensor<1x64x112x112xf32> -> tensor<1x64x54x54xf32>
  // CHECK: nn.max_pool2d %[[X]] kernel [3, 3] strides [3, 3] padding [0, 0, 1, 1] rounding ceil : tensor<1x64x112x112xf32> -> tensor<1x64x38x38xf32>
  %3 = nn.max_pool2d %x kernel [3, 3] strides [3, 3] padding [0, 0, 1, 1] rounding ceil : tensor<1x64x112x112xf32> -> tensor<1x64x38x38xf32>
  return %0, %1, %2, %3 : tensor<1x64x56x56xf32>, tensor<1x64x111x111xf32>, tensor<1x64x54x54xf32>, tensor<1x64x38x38xf32>
}

// CHECK-LABEL: func.func @max_pool2d_indices
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x8x8xf32>
func.func @max_pool2d_indices(%x: tensor<2x3x8x8xf32>) -> (tensor<2x3x4x4xi64>, tensor<2x3x3x3xi64>) {
  // CHECK: nn.max_pool2d_indices %[[X]] kernel [2, 2] strides [2, 2] : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xi64>
  %0 = nn.max_pool2d_indices %x kernel [2, 2] strides [2, 2] : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xi64>
  // CHECK: nn.max_pool2d_indices %[[X]] kernel [3, 3] strides [3, 3] padding [1, 1, 0, 0] rounding ceil column_major : tensor<2x3x8x8xf32> -> tensor<2x3x3x3xi64>
  %1 = nn.max_pool2d_indices %x kernel [3, 3] strides [3, 3] padding [1, 1, 0, 0] rounding ceil column_major : tensor<2x3x8x8xf32> -> tensor<2x3x3x3xi64>
  return %0, %1 : tensor<2x3x4x4xi64>, tensor<2x3x3x3xi64>
}

// CHECK-LABEL: func.func @arg_max_min
func.func @arg_max_min(%x: tensor<2x5x3xf32>, %u: tensor<7xui8>) -> (tensor<2x3xi64>, tensor<2x1x3xi64>, tensor<i64>) {
  // CHECK: nn.arg_max %{{.*}} axis 1 : tensor<2x5x3xf32> -> tensor<2x3xi64>
  %0 = nn.arg_max %x axis 1 : tensor<2x5x3xf32> -> tensor<2x3xi64>
  // CHECK: nn.arg_min %{{.*}} axis -2 keepdims select_last_index : tensor<2x5x3xf32> -> tensor<2x1x3xi64>
  %1 = nn.arg_min %x axis -2 keepdims select_last_index : tensor<2x5x3xf32> -> tensor<2x1x3xi64>
  // CHECK: nn.arg_max %{{.*}} axis 0 : tensor<7xui8> -> tensor<i64>
  %2 = nn.arg_max %u axis 0 : tensor<7xui8> -> tensor<i64>
  return %0, %1, %2 : tensor<2x3xi64>, tensor<2x1x3xi64>, tensor<i64>
}

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x16x10x10xf32>
func.func @avg_pool2d(%x: tensor<?x16x10x10xf32>) -> (tensor<?x16x5x5xf32>, tensor<?x16x9x9xf32>, tensor<?x16x4x4xf32>, tensor<?x16x6x6xf32>) {
  // CHECK: nn.avg_pool2d %[[X]] kernel [2, 2] strides [2, 2] count_include_pad : tensor<?x16x10x10xf32> -> tensor<?x16x5x5xf32>
  %0 = nn.avg_pool2d %x kernel [2, 2] strides [2, 2] count_include_pad : tensor<?x16x10x10xf32> -> tensor<?x16x5x5xf32>
  // CHECK: nn.avg_pool2d %[[X]] kernel [2, 2] : tensor<?x16x10x10xf32> -> tensor<?x16x9x9xf32>
  %1 = nn.avg_pool2d %x kernel [2, 2] : tensor<?x16x10x10xf32> -> tensor<?x16x9x9xf32>
  // CHECK: nn.avg_pool2d %[[X]] kernel [3, 3] strides [2, 2] rounding floor : tensor<?x16x10x10xf32> -> tensor<?x16x4x4xf32>
  %2 = nn.avg_pool2d %x kernel [3, 3] strides [2, 2] rounding floor : tensor<?x16x10x10xf32> -> tensor<?x16x4x4xf32>
  // CHECK: nn.avg_pool2d %[[X]] kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil count_include_pad : tensor<?x16x10x10xf32> -> tensor<?x16x6x6xf32>
  %3 = nn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil count_include_pad : tensor<?x16x10x10xf32> -> tensor<?x16x6x6xf32>
  return %0, %1, %2, %3 : tensor<?x16x5x5xf32>, tensor<?x16x9x9xf32>, tensor<?x16x4x4xf32>, tensor<?x16x6x6xf32>
}

// CHECK-LABEL: func.func @global_avg_pool
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x512x7x7xf32>, %[[Y:[^:]+]]: tensor<?x8x4x4x4xf64>
func.func @global_avg_pool(%x: tensor<1x512x7x7xf32>, %y: tensor<?x8x4x4x4xf64>) -> (tensor<1x512x1x1xf32>, tensor<?x8x1x1x1xf64>) {
  // CHECK: nn.global_avg_pool %[[X]] : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  %0 = nn.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  // CHECK: nn.global_avg_pool %[[Y]] : tensor<?x8x4x4x4xf64> -> tensor<?x8x1x1x1xf64>
  %1 = nn.global_avg_pool %y : tensor<?x8x4x4x4xf64> -> tensor<?x8x1x1x1xf64>
  return %0, %1 : tensor<1x512x1x1xf32>, tensor<?x8x1x1x1xf64>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reductions
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x64x7x7xf32>
func.func @reductions(%x: tensor<?x64x7x7xf32>) -> (tensor<?x64x1x1xf32>, tensor<?x64x7xf32>, tensor<64xf32>) {
  // CHECK: nn.reduce_sum %[[X]] axes [2, 3] keepdims : tensor<?x64x7x7xf32> -> tensor<?x64x1x1xf32>
  %0 = nn.reduce_sum %x axes [2, 3] keepdims : tensor<?x64x7x7xf32> -> tensor<?x64x1x1xf32>
  // CHECK: nn.reduce_mean %[[X]] axes [-1] : tensor<?x64x7x7xf32> -> tensor<?x64x7xf32>
  %1 = nn.reduce_mean %x axes [-1] : tensor<?x64x7x7xf32> -> tensor<?x64x7xf32>
  // CHECK: nn.reduce_max %[[X]] axes [0, 2, -1] : tensor<?x64x7x7xf32> -> tensor<64xf32>
  %2 = nn.reduce_max %x axes [0, 2, -1] : tensor<?x64x7x7xf32> -> tensor<64xf32>
  // CHECK: nn.reduce_prod %[[X]] axes [1] : tensor<?x64x7x7xf32> -> tensor<?x7x7xf32>
  %3 = nn.reduce_prod %x axes [1] : tensor<?x64x7x7xf32> -> tensor<?x7x7xf32>
  return %0, %1, %2 : tensor<?x64x1x1xf32>, tensor<?x64x7xf32>, tensor<64xf32>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_transpose_flatten
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16x5x5xf32>, %[[I:[^:]+]]: tensor<?x3x4xi32>
func.func @reshape_transpose_flatten(%x: tensor<1x16x5x5xf32>, %i: tensor<?x3x4xi32>) -> (tensor<1x400xf32>, tensor<?x4x3xi32>, tensor<1x400xf32>, tensor<1x400xf32>, tensor<?x12xi32>) {
  // CHECK: nn.reshape %[[X]] [1, -1] : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  %0 = nn.reshape %x [1, -1] : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  // CHECK: nn.transpose %[[I]] [0, 2, 1] : tensor<?x3x4xi32> -> tensor<?x4x3xi32>
  %1 = nn.transpose %i [0, 2, 1] : tensor<?x3x4xi32> -> tensor<?x4x3xi32>
  // CHECK: nn.flatten %[[X]] : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  %2 = nn.flatten %x : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  // CHECK: nn.flatten %[[X]] axis -3 : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  %3 = nn.flatten %x axis -3 : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  // CHECK: nn.flatten %[[I]] : tensor<?x3x4xi32> -> tensor<?x12xi32>
  %4 = nn.flatten %i axis 1 : tensor<?x3x4xi32> -> tensor<?x12xi32>
  return %0, %1, %2, %3, %4 : tensor<1x400xf32>, tensor<?x4x3xi32>, tensor<1x400xf32>, tensor<1x400xf32>, tensor<?x12xi32>
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x16x8x8xf32>, %[[B:[^:]+]]: tensor<1x32x8x8xf32>, %[[C:[^:]+]]: tensor<?x2xi64>
func.func @concat(%a: tensor<1x16x8x8xf32>, %b: tensor<1x32x8x8xf32>, %c: tensor<?x2xi64>) -> (tensor<1x16x8x8xf32>, tensor<1x48x8x8xf32>, tensor<1x64x8x8xf32>, tensor<?x2xi64>) {
  // CHECK: nn.concat %[[A]] axis 1 : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %0 = nn.concat %a axis 1 : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: nn.concat %[[A]], %[[B]] axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
  %1 = nn.concat %a, %b axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
  // CHECK: nn.concat %[[A]], %[[B]], %[[A]] axis -3 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x64x8x8xf32>
  %2 = nn.concat %a, %b, %a axis -3 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x64x8x8xf32>
  // CHECK: nn.concat %[[C]], %[[C]] axis 0 : (tensor<?x2xi64>, tensor<?x2xi64>) -> tensor<?x2xi64>
  %3 = nn.concat %c, %c axis 0 : (tensor<?x2xi64>, tensor<?x2xi64>) -> tensor<?x2xi64>
  return %0, %1, %2, %3 : tensor<1x16x8x8xf32>, tensor<1x48x8x8xf32>, tensor<1x64x8x8xf32>, tensor<?x2xi64>
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x16xf32>
func.func @slice(%x: tensor<4x16xf32>) -> (tensor<4x4xf32>, tensor<2x8xf32>) {
  // CHECK: nn.slice %[[X]] starts [0, 2] ends [4, 10] steps [1, 2] : tensor<4x16xf32> -> tensor<4x4xf32>
  %0 = nn.slice %x starts [0, 2] ends [4, 10] steps [1, 2] : tensor<4x16xf32> -> tensor<4x4xf32>
  // CHECK: nn.slice %[[X]] starts [1, 8] ends [3, 16] : tensor<4x16xf32> -> tensor<2x8xf32>
  %1 = nn.slice %x starts [1, 8] ends [3, 16] : tensor<4x16xf32> -> tensor<2x8xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<2x8xf32>
}

// CHECK-LABEL: func.func @pad
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>
func.func @pad(%x: tensor<1x3x8x8xf32>) -> (tensor<1x3x10x10xf32>, tensor<1x3x10x10xf32>, tensor<1x3x12x12xf32>, tensor<1x3x9x11xf32>, tensor<1x3x10x10xf32>) {
  // CHECK: nn.pad %[[X]] [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  %0 = nn.pad %x [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  // CHECK: nn.pad %[[X]] [0, 0, 1, 1, 0, 0, 1, 1] mode constant value -1.500000e+00 : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  %1 = nn.pad %x [0, 0, 1, 1, 0, 0, 1, 1] mode constant value -1.5 : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  // CHECK: nn.pad %[[X]] [0, 0, 2, 2, 0, 0, 2, 2] mode reflect : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
  %2 = nn.pad %x [0, 0, 2, 2, 0, 0, 2, 2] mode reflect : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
  // CHECK: nn.pad %[[X]] [0, 0, 0, 3, 0, 0, 1, 0] mode edge : tensor<1x3x8x8xf32> -> tensor<1x3x9x11xf32>
  %3 = nn.pad %x [0, 0, 0, 3, 0, 0, 1, 0] mode edge : tensor<1x3x8x8xf32> -> tensor<1x3x9x11xf32>
  // CHECK: nn.pad %[[X]] [0, 0, 1, 1, 0, 0, 1, 1] value 2.000000e+00 : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  %4 = nn.pad %x [0, 0, 1, 1, 0, 0, 1, 1] value 2.0 : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
  return %0, %1, %2, %3, %4 : tensor<1x3x10x10xf32>, tensor<1x3x10x10xf32>, tensor<1x3x12x12xf32>, tensor<1x3x9x11xf32>, tensor<1x3x10x10xf32>
}

// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME: %[[B:[^:]+]]: tensor<16xf32>, %[[M:[^:]+]]: tensor<1x?xi1>
func.func @broadcast_to(%b: tensor<16xf32>, %m: tensor<1x?xi1>) -> (tensor<8x16xf32>, tensor<2x4x6xi1>) {
  // CHECK: nn.broadcast_to %[[B]] [8, 16] : tensor<16xf32> -> tensor<8x16xf32>
  %0 = nn.broadcast_to %b [8, 16] : tensor<16xf32> -> tensor<8x16xf32>
  // CHECK: nn.broadcast_to %[[M]] [2, 4, 6] : tensor<1x?xi1> -> tensor<2x4x6xi1>
  %1 = nn.broadcast_to %m [2, 4, 6] : tensor<1x?xi1> -> tensor<2x4x6xi1>
  return %0, %1 : tensor<8x16xf32>, tensor<2x4x6xi1>
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME: %[[T:[^:]+]]: tensor<1000x64xf32>, %[[I64:[^:]+]]: tensor<2x8xi64>, %[[I32:[^:]+]]: tensor<?xi32>
func.func @gather(%t: tensor<1000x64xf32>, %i64: tensor<2x8xi64>, %i32: tensor<?xi32>) -> (tensor<2x8x64xf32>, tensor<?x64xf32>, tensor<1000x?xf32>) {
  // CHECK: nn.gather %[[T]], %[[I64]] : (tensor<1000x64xf32>, tensor<2x8xi64>) -> tensor<2x8x64xf32>
  %0 = nn.gather %t, %i64 axis 0 : (tensor<1000x64xf32>, tensor<2x8xi64>) -> tensor<2x8x64xf32>
  // CHECK: nn.gather %[[T]], %[[I32]] : (tensor<1000x64xf32>, tensor<?xi32>) -> tensor<?x64xf32>
  %1 = nn.gather %t, %i32 : (tensor<1000x64xf32>, tensor<?xi32>) -> tensor<?x64xf32>
  // CHECK: nn.gather %[[T]], %[[I32]] axis 1 : (tensor<1000x64xf32>, tensor<?xi32>) -> tensor<1000x?xf32>
  %2 = nn.gather %t, %i32 axis 1 : (tensor<1000x64xf32>, tensor<?xi32>) -> tensor<1000x?xf32>
  return %0, %1, %2 : tensor<2x8x64xf32>, tensor<?x64xf32>, tensor<1000x?xf32>
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @dropout
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x128xf32>
func.func @dropout(%x: tensor<8x128xf32>) -> (tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x128xf32>) {
  // CHECK: nn.dropout %[[X]] : tensor<8x128xf32>
  %0 = nn.dropout %x : tensor<8x128xf32>
  // CHECK: nn.dropout %[[X]] ratio 1.000000e-01 seed 42 : tensor<8x128xf32>
  %1 = nn.dropout %x ratio 0.1 seed 42 : tensor<8x128xf32>
  // CHECK: nn.dropout %[[X]] ratio 2.500000e-01 : tensor<8x128xf32>
  %2 = nn.dropout %x ratio 0.25 : tensor<8x128xf32>
  // CHECK: nn.dropout %[[X]] seed 7 : tensor<8x128xf32>
  %3 = nn.dropout %x seed 7 : tensor<8x128xf32>
  return %0, %1, %2, %3 : tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x128xf32>, tensor<8x128xf32>
}

// CHECK-LABEL: func.func @cross_entropy
// CHECK-SAME: %[[L:[^:]+]]: tensor<32x10xf32>, %[[I:[^:]+]]: tensor<32xi64>, %[[P:[^:]+]]: tensor<32x10xf32>, %[[L4:[^:]+]]: tensor<?x5x4x4xf32>, %[[I4:[^:]+]]: tensor<?x4x4xi32>
func.func @cross_entropy(%l: tensor<32x10xf32>, %i: tensor<32xi64>, %p: tensor<32x10xf32>, %l4: tensor<?x5x4x4xf32>, %i4: tensor<?x4x4xi32>) -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<32xf32>, tensor<?x4x4xf32>) {
  // CHECK: nn.cross_entropy %[[L]], %[[I]] : (tensor<32x10xf32>, tensor<32xi64>) -> tensor<f32>
  %0 = nn.cross_entropy %l, %i : (tensor<32x10xf32>, tensor<32xi64>) -> tensor<f32>
  // CHECK: nn.cross_entropy %[[L]], %[[P]] reduction mean : (tensor<32x10xf32>, tensor<32x10xf32>) -> tensor<f32>
  %1 = nn.cross_entropy %l, %p reduction mean : (tensor<32x10xf32>, tensor<32x10xf32>) -> tensor<f32>
  // CHECK: nn.cross_entropy %[[L]], %[[I]] reduction sum : (tensor<32x10xf32>, tensor<32xi64>) -> tensor<f32>
  %2 = nn.cross_entropy %l, %i reduction sum : (tensor<32x10xf32>, tensor<32xi64>) -> tensor<f32>
  // CHECK: nn.cross_entropy %[[L]], %[[P]] reduction none : (tensor<32x10xf32>, tensor<32x10xf32>) -> tensor<32xf32>
  %3 = nn.cross_entropy %l, %p reduction none : (tensor<32x10xf32>, tensor<32x10xf32>) -> tensor<32xf32>
  // CHECK: nn.cross_entropy %[[L4]], %[[I4]] reduction none : (tensor<?x5x4x4xf32>, tensor<?x4x4xi32>) -> tensor<?x4x4xf32>
  %4 = nn.cross_entropy %l4, %i4 reduction none : (tensor<?x5x4x4xf32>, tensor<?x4x4xi32>) -> tensor<?x4x4xf32>
  return %0, %1, %2, %3, %4 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<32xf32>, tensor<?x4x4xf32>
}

// CHECK-LABEL: func.func @mse
// CHECK-SAME: %[[Y:[^:]+]]: tensor<32x1xf64>, %[[T:[^:]+]]: tensor<32x1xf64>
func.func @mse(%y: tensor<32x1xf64>, %t: tensor<32x1xf64>) -> (tensor<f64>, tensor<32x1xf64>, tensor<f64>, tensor<f64>) {
  // CHECK: nn.mse %[[Y]], %[[T]] : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  %0 = nn.mse %y, %t : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  // CHECK: nn.mse %[[Y]], %[[T]] reduction none : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<32x1xf64>
  %1 = nn.mse %y, %t reduction none : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<32x1xf64>
  // CHECK: nn.mse %[[Y]], %[[T]] reduction mean : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  %2 = nn.mse %y, %t reduction mean : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  // CHECK: nn.mse %[[Y]], %[[T]] reduction sum : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  %3 = nn.mse %y, %t reduction sum : (tensor<32x1xf64>, tensor<32x1xf64>) -> tensor<f64>
  return %0, %1, %2, %3 : tensor<f64>, tensor<32x1xf64>, tensor<f64>, tensor<f64>
}

// The blobs start with their alignment (4, little-endian), then the bytes:
// 1.0, 2.0, 3.0, 4.0 as f32 and 1.0, -2.0 as f16.
// CHECK:      dialect_resources: {
// CHECK-NEXT:   builtin: {
// CHECK-DAG:      conv_weight: "0x040000000000803F000000400000404000008040"
// CHECK-DAG:      half_bias: "0x02000000003C00C0"
{-#
  dialect_resources: {
    builtin: {
      conv_weight: "0x040000000000803F000000400000404000008040",
      half_bias: "0x02000000003C00C0"
    }
  }
#-}
