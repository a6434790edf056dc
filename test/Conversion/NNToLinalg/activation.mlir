// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @relu
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf %{{.+}}, %[[ZERO]] : f32
func.func @relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.relu %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @leaky_relu
// CHECK-DAG: %[[ALPHA:.+]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[GE:.+]] = arith.cmpf oge
// CHECK: %[[SCALED:.+]] = arith.mulf %[[ALPHA]]
// CHECK: arith.select %[[GE]], %{{.+}}, %[[SCALED]]
func.func @leaky_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.leaky_relu %x alpha 0.2 : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// sigmoid = 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid_tanh
// CHECK: %[[N:.+]] = arith.negf
// CHECK: %[[E:.+]] = math.exp %[[N]]
// CHECK: %[[D:.+]] = arith.addf %{{.+}}, %[[E]]
// CHECK: arith.divf %{{.+}}, %[[D]]
// CHECK: math.tanh
func.func @sigmoid_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.sigmoid %x : tensor<8xf32>
  %1 = nn.tanh %0 : tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @gelu
// CHECK: math.erf
// CHECK-NOT: math.tanh
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.gelu %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.gelu %x approximate tanh : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[M:.+]] = arith.maximumf %{{.+}}, %[[LO]]
// CHECK: %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK: arith.minimumf %[[M]], %[[HI]]
func.func @clip(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.clip %x min 0.0 max 6.0 : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// softmax: max-reduce along the axis (from -inf), subtract, exp-sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<4x3xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "parallel"]{{.*}} outs(%[[INIT]]
// CHECK: arith.maximumf
// CHECK: %[[SHIFT:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[MAX]] :
// CHECK: arith.subf
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "parallel"]{{.*}} ins(%[[SHIFT]]
// CHECK: math.exp
// CHECK: linalg.generic {{.+}} ins(%[[SHIFT]], %[[SUM]] :
// CHECK: math.exp
// CHECK: arith.divf
func.func @softmax(%x: tensor<4x5x3xf32>) -> tensor<4x5x3xf32> {
  %0 = nn.softmax %x axis 1 : tensor<4x5x3xf32>
  return %0 : tensor<4x5x3xf32>
}

// -----

// log_softmax: (x - max) - log(sum(exp(x - max))).
// CHECK-LABEL: func.func @log_softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[LOG:.+]] = math.log
// CHECK: arith.subf %{{.+}}, %[[LOG]]
func.func @log_softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = nn.log_softmax %x : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// CHECK-LABEL: func.func @dropout
// CHECK-SAME: %[[X:[^:]+]]: tensor<8xf32>
// CHECK-NEXT: return %[[X]]
func.func @dropout(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = nn.dropout %x ratio 0.5 : tensor<8xf32>
  return %0 : tensor<8xf32>
}
