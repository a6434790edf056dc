// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic the nn dialect can emit. Every message literal of an
// `emitError() << ...` / `emitOpError() << ...` chain in dialects/nn/lib must
// appear in some expected-error below (diagnostic-coverage.test checks this);
// keep the fixed parts of each message verbatim (no {{regex}} in them).

//===----------------------------------------------------------------------===//
// ODS-level checks (operand constraints, traits, attributes, parsing)
//===----------------------------------------------------------------------===//

// Test: a float-only op rejects an integer tensor
func.func @relu_integer_operand(%x: tensor<4xi32>) {
  // expected-error @+1 {{'nn.relu' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = nn.relu %x : tensor<4xi32>
  return
}

// -----

// Test: an unranked tensor operand is rejected
func.func @add_unranked_operand(%x: tensor<*xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'nn.add' op operand #0 must be ranked tensor of signless integer or unsigned integer or floating-point values, but got 'tensor<*xf32>'}}
  %0 = nn.add %x, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Test: gather indices must be integers
func.func @gather_float_indices(%d: tensor<4x8xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{'nn.gather' op operand #1 must be ranked tensor of signless integer values, but got 'tensor<2xf32>'}}
  %0 = nn.gather %d, %i : (tensor<4x8xf32>, tensor<2xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Test: a declared result shape that contradicts the inferred one (binary op)
func.func @add_wrong_result_shape(%x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @+2 {{'nn.add' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{'nn.add' op failed to infer returned types}}
  %0 = nn.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

// Test: a declared result shape that contradicts the inferred one (conv2d output size)
func.func @conv2d_wrong_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Test: a declared result element type that contradicts the inferred one (loss)
func.func @mse_wrong_result_element_type(%x: tensor<4xf32>) {
  // expected-error @+2 {{'nn.mse' op inferred type(s) 'tensor<f32>' are incompatible with return type(s) of operation 'tensor<f16>'}}
  // expected-error @+1 {{'nn.mse' op failed to infer returned types}}
  %0 = nn.mse %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<f16>
  return
}

// -----

// Test: an unranked declared result type (allowed by ODS only for builders)
func.func @add_unranked_result(%x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'nn.add' op expects a ranked result type, inferred 'tensor<4xf32>'}}
  %0 = nn.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

// Test: an unranked result type of a unary op is a parse error
func.func @relu_unranked_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{custom op 'nn.relu' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = nn.relu %x : tensor<*xf32>
  return
}

// -----

// Test: a unary op whose result type differs from its operand's (generic form)
func.func @relu_result_type_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.relu' op requires the same type for all operands and results}}
  %0 = "nn.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

// Test: a tensor with more elements than any machine holds (shape
// arithmetic on it would overflow)
func.func @huge_tensor(%x: tensor<1099511627776x2xf32>) {
  // expected-error @+1 {{'nn.relu' op operand #0 of type 'tensor<1099511627776x2xf32>' has more elements than Kiln supports (at most 2^40 = 1099511627776)}}
  %0 = nn.relu %x : tensor<1099511627776x2xf32>
  return
}

// -----

// Test: a constant whose value type differs from its result type (generic form)
func.func @constant_type_mismatch() {
  // expected-error @+1 {{'nn.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "nn.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

// Test: a dense_resource blob without an entry in dialect_resources
func.func @constant_resource_missing() {
  // expected-error @+1 {{'nn.constant' op dense_resource blob 'nowhere' is not defined (the file's dialect_resources section has no such entry)}}
  %0 = nn.constant dense_resource<nowhere> : tensor<2xf32>
  return
}

// -----

// Test: a dense_resource blob shorter than its type (4 bytes for 2 floats)
func.func @constant_resource_short() {
  // expected-error @+1 {{'nn.constant' op dense_resource blob 'short' holds 4 bytes, but 'tensor<2xf32>' needs 8}}
  %0 = nn.constant dense_resource<short> : tensor<2xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F"
    }
  }
#-}

// -----

// Test: an unknown rounding-mode keyword is a parse error
func.func @max_pool2d_unknown_rounding(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{custom op 'nn.max_pool2d' expected string or keyword containing one of the following enum values for attribute 'rounding' [floor, ceil]}}
  %0 = nn.max_pool2d %x kernel [3, 3] rounding round : tensor<1x4x8x8xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: an unknown pad-mode keyword is a parse error
func.func @pad_unknown_mode(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{custom op 'nn.pad' expected string or keyword containing one of the following enum values for attribute 'mode' [constant, reflect, edge]}}
  %0 = nn.pad %x [0, 1, 0, 1] mode wrap : tensor<2x4xf32> -> tensor<2x6xf32>
  return
}

// -----

// Test: an out-of-range enum value in generic form
func.func @max_pool2d_bad_rounding_value(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{Invalid attribute `rounding` in property conversion: 7 : i32}}
  %0 = "nn.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, rounding = 7 : i32}> : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: a missing required attribute (pooling kernel) in generic form
func.func @max_pool2d_missing_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op requires attribute 'kernel'}}
  %0 = "nn.max_pool2d"(%x) : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: a missing required attribute (concat axis) in generic form
func.func @concat_missing_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.concat' op requires attribute 'axis'}}
  %0 = "nn.concat"(%x, %x) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Activations (ActivationOps.cpp)
//===----------------------------------------------------------------------===//

// Test: clip with min above max
func.func @clip_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.clip' op expects 'min' (6.000000e+00) not to exceed 'max' (1.000000e+00)}}
  %0 = nn.clip %x min 6.0 max 1.0 : tensor<4xf32>
  return
}

// -----

// Test: softmax axis past the rank (checkAxis)
func.func @softmax_axis_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.softmax' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  %0 = nn.softmax %x axis 2 : tensor<4x8xf32>
  return
}

// -----

// Test: log_softmax negative axis below -rank (checkAxis)
func.func @log_softmax_axis_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'nn.log_softmax' op expects 'axis' in [-2, 2) for rank 2, got -3}}
  %0 = nn.log_softmax %x axis -3 : tensor<4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Convolution (ConvolutionOps.cpp)
//===----------------------------------------------------------------------===//

// Test: conv2d input not NCHW (checkRank)
func.func @conv2d_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects input of rank 4 (NCHW), got rank 3}}
  %0 = nn.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d filter of rank 3 (checkRank)
func.func @conv2d_filter_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects filter of rank 4 (F x C/groups x KH x KW), got rank 3}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d filter element type differs from the input's (checkElementType)
func.func @conv2d_filter_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @+1 {{'nn.conv2d' op expects filter element type 'f16' to match the input element type 'f32'}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d strides with three values (checkArray count)
func.func @conv2d_strides_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'strides' to have 2 values, got 3}}
  %0 = nn.conv2d %x, %w strides [1, 1, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d zero stride (checkArray positivity)
func.func @conv2d_strides_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'strides' values to be positive, got 0}}
  %0 = nn.conv2d %x, %w strides [1, 0] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d padding with two values (checkArray count)
func.func @conv2d_padding_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'padding' to have 4 values, got 2}}
  %0 = nn.conv2d %x, %w padding [1, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Test: conv2d negative padding (checkArray non-negativity)
func.func @conv2d_padding_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'padding' values to be non-negative, got -1}}
  %0 = nn.conv2d %x, %w padding [1, -1, 1, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Test: conv2d zero dilation (checkArray positivity)
func.func @conv2d_dilations_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'dilations' values to be positive, got 0}}
  %0 = nn.conv2d %x, %w dilations [0, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d zero groups
func.func @conv2d_groups_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'groups' to be positive, got 0}}
  %0 = nn.conv2d %x, %w groups 0 : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d groups not dividing the input channels
func.func @conv2d_groups_input_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'groups' (2) to divide the input channels (3)}}
  %0 = nn.conv2d %x, %w groups 2 : (tensor<1x3x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d groups not dividing the filter count
func.func @conv2d_groups_filter_count(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects 'groups' (4) to divide the filter count (6)}}
  %0 = nn.conv2d %x, %w groups 4 : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

// Test: conv2d filter dimension 1 is not C / groups
func.func @conv2d_filter_dim1_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects filter dimension 1 to be input channels / groups = 2, got 4}}
  %0 = nn.conv2d %x, %w groups 2 : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// Test: conv2d bias not [F] (checkVector)
func.func @conv2d_bias_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects bias of shape [4], got [3]}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d bias element type (checkElementType)
func.func @conv2d_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'nn.conv2d' op expects bias element type 'f16' to match the input element type 'f32'}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Test: conv2d dilated kernel larger than the padded input
func.func @conv2d_dilated_kernel_too_big(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects the dilated window (9) to fit the padded input (8) in spatial dimension 1}}
  %0 = nn.conv2d %x, %w dilations [1, 4] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise (ElementwiseOps.cpp)
//===----------------------------------------------------------------------===//

// Test: binary op operands with different element types (checkElementType)
func.func @add_element_type_mismatch(%x: tensor<4xf32>, %y: tensor<4xf16>) {
  // expected-error @+1 {{'nn.add' op expects rhs element type 'f16' to match the lhs element type 'f32'}}
  %0 = nn.add %x, %y : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// Test: binary op with shapes that do not broadcast
func.func @mul_not_broadcastable(%x: tensor<2x3xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.mul' op expects broadcast-compatible shapes, got [2x3] and [4x3]}}
  %0 = nn.mul %x, %y : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Linear (LinearOps.cpp)
//===----------------------------------------------------------------------===//

// Test: matmul with a rank-1 operand
func.func @matmul_rank(%x: tensor<4xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.matmul' op expects operands of rank 2 or more, got ranks 1 and 2}}
  %0 = nn.matmul %x, %y : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Test: matmul operand element types differ (checkElementType)
func.func @matmul_element_type(%x: tensor<2x4xf32>, %y: tensor<4x3xbf16>) {
  // expected-error @+1 {{'nn.matmul' op expects rhs element type 'bf16' to match the lhs element type 'f32'}}
  %0 = nn.matmul %x, %y : (tensor<2x4xf32>, tensor<4x3xbf16>) -> tensor<2x3xf32>
  return
}

// -----

// Test: matmul contraction sizes differ
func.func @matmul_contraction(%x: tensor<2x4xf32>, %y: tensor<5x3xf32>) {
  // expected-error @+1 {{'nn.matmul' op expects the contraction sizes to match, got lhs [2x4] and rhs [5x3]}}
  %0 = nn.matmul %x, %y : (tensor<2x4xf32>, tensor<5x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Test: matmul batch dimensions do not broadcast
func.func @matmul_batch(%x: tensor<2x2x4xf32>, %y: tensor<3x4x3xf32>) {
  // expected-error @+1 {{'nn.matmul' op expects broadcast-compatible batch dimensions, got [2] and [3]}}
  %0 = nn.matmul %x, %y : (tensor<2x2x4xf32>, tensor<3x4x3xf32>) -> tensor<2x2x3xf32>
  return
}

// -----

// Test: dense with a rank-0 input
func.func @dense_input_rank0(%x: tensor<f32>, %w: tensor<3x4xf32>) {
  // expected-error @+1 {{'nn.dense' op expects input of rank 1 or more, got rank 0}}
  %0 = nn.dense %x, %w : (tensor<f32>, tensor<3x4xf32>) -> tensor<3xf32>
  return
}

// -----

// Test: dense weight of rank 1 (checkRank)
func.func @dense_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dense' op expects weight of rank 2 (out x in), got rank 1}}
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Test: dense weight element type (checkElementType)
func.func @dense_weight_element_type(%x: tensor<2x4xf32>, %w: tensor<3x4xf16>) {
  // expected-error @+1 {{'nn.dense' op expects weight element type 'f16' to match the input element type 'f32'}}
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<3x4xf16>) -> tensor<2x3xf32>
  return
}

// -----

// Test: dense weight "in" size differs from the input's last dimension
func.func @dense_in_mismatch(%x: tensor<2x4xf32>, %w: tensor<3x5xf32>) {
  // expected-error @+1 {{'nn.dense' op expects weight [out x in] to have in = 4 (the input's last dimension), got weight [3x5]}}
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Test: dense bias not [out] (checkVector)
func.func @dense_bias_shape(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dense' op expects bias of shape [3], got [4]}}
  %0 = nn.dense %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Test: dense bias element type (checkElementType)
func.func @dense_bias_element_type(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf64>) {
  // expected-error @+1 {{'nn.dense' op expects bias element type 'f64' to match the input element type 'f32'}}
  %0 = nn.dense %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf64>) -> tensor<2x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalization (NormalizationOps.cpp)
//===----------------------------------------------------------------------===//

// Test: batch_norm input of rank 1
func.func @batch_norm_input_rank(%x: tensor<8xf32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op expects input of rank 2 or more (N, C, ...), got rank 1}}
  %0 = nn.batch_norm %x, %s, %s, %s, %s : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

// Test: batch_norm variance not [C] (checkVector)
func.func @batch_norm_variance_shape(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op expects variance of shape [8], got [4]}}
  %0 = nn.batch_norm %x, %s, %s, %s, %v : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

// Test: batch_norm mean element type (checkElementType)
func.func @batch_norm_mean_element_type(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %m: tensor<8xf16>) {
  // expected-error @+1 {{'nn.batch_norm' op expects mean element type 'f16' to match the input element type 'f32'}}
  %0 = nn.batch_norm %x, %s, %s, %m, %s : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf16>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

// Test: batch_norm negative epsilon
func.func @batch_norm_negative_epsilon(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op expects 'epsilon' to be non-negative, got -1.000000e+00}}
  %0 = nn.batch_norm %x, %s, %s, %s, %s epsilon -1.0 : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

// Test: layer_norm axis out of range (checkAxis)
func.func @layer_norm_axis(%x: tensor<2x16xf32>, %s: tensor<16xf32>) {
  // expected-error @+1 {{'nn.layer_norm' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  %0 = nn.layer_norm %x, %s axis 2 : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return
}

// -----

// Test: layer_norm scale not of the normalized shape
func.func @layer_norm_scale_shape(%x: tensor<2x16xf32>, %s: tensor<2x16xf32>) {
  // expected-error @+1 {{'nn.layer_norm' op expects scale of shape [16] (the normalized dimensions), got [2x16]}}
  %0 = nn.layer_norm %x, %s : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  return
}

// -----

// Test: layer_norm bias not of the normalized shape
func.func @layer_norm_bias_shape(%x: tensor<2x16xf32>, %s: tensor<2x16xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'nn.layer_norm' op expects bias of shape [2x16] (the normalized dimensions), got [16]}}
  %0 = nn.layer_norm %x, %s, %b axis 0 : (tensor<2x16xf32>, tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return
}

// -----

// Test: layer_norm bias element type (checkElementType)
func.func @layer_norm_bias_element_type(%x: tensor<2x16xf32>, %s: tensor<16xf32>, %b: tensor<16xbf16>) {
  // expected-error @+1 {{'nn.layer_norm' op expects bias element type 'bf16' to match the input element type 'f32'}}
  %0 = nn.layer_norm %x, %s, %b : (tensor<2x16xf32>, tensor<16xf32>, tensor<16xbf16>) -> tensor<2x16xf32>
  return
}

// -----

// Test: layer_norm negative epsilon
func.func @layer_norm_negative_epsilon(%x: tensor<2x16xf32>, %s: tensor<16xf32>) {
  // expected-error @+1 {{'nn.layer_norm' op expects 'epsilon' to be non-negative, got -1.000000e-05}}
  %0 = nn.layer_norm %x, %s epsilon -1.0e-05 : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling (PoolingOps.cpp)
//===----------------------------------------------------------------------===//

// Test: max_pool2d input not NCHW (checkRank)
func.func @max_pool2d_input_rank(%x: tensor<4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects input of rank 4 (NCHW), got rank 3}}
  %0 = nn.max_pool2d %x kernel [2, 2] : tensor<4x8x8xf32> -> tensor<4x4x4xf32>
  return
}

// -----

// Test: max_pool2d kernel with one value (checkArray count)
func.func @max_pool2d_kernel_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects 'kernel' to have 2 values, got 1}}
  %0 = nn.max_pool2d %x kernel [2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: max_pool2d zero kernel size (checkArray positivity)
func.func @max_pool2d_kernel_zero(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects 'kernel' values to be positive, got 0}}
  %0 = nn.max_pool2d %x kernel [2, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: max_pool2d negative stride (checkArray positivity)
func.func @max_pool2d_strides_negative(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects 'strides' values to be positive, got -1}}
  %0 = nn.max_pool2d %x kernel [2, 2] strides [-1, 2] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: max_pool2d dilations with three values (checkArray count)
func.func @max_pool2d_dilations_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects 'dilations' to have 2 values, got 3}}
  %0 = nn.max_pool2d %x kernel [2, 2] dilations [1, 1, 1] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: avg_pool2d padding with three values (checkArray count)
func.func @avg_pool2d_padding_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op expects 'padding' to have 4 values, got 3}}
  %0 = nn.avg_pool2d %x kernel [2, 2] padding [0, 0, 1] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: avg_pool2d negative padding (checkArray non-negativity)
func.func @avg_pool2d_padding_negative(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op expects 'padding' values to be non-negative, got -1}}
  %0 = nn.avg_pool2d %x kernel [2, 2] padding [0, 0, -1, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: max_pool2d padding as large as the window
func.func @max_pool2d_padding_not_smaller_than_window(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects padding smaller than the window (3) in spatial dimension 1, got 3 and 1}}
  %0 = nn.max_pool2d %x kernel [3, 3] padding [1, 3, 1, 1] : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

// Test: avg_pool2d padding as large as the window
func.func @avg_pool2d_padding_not_smaller_than_window(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op expects padding smaller than the window (2) in spatial dimension 0, got 2 and 0}}
  %0 = nn.avg_pool2d %x kernel [2, 2] padding [2, 0, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Test: max_pool2d dilated window larger than the padded input
func.func @max_pool2d_window_too_big(%x: tensor<1x4x2x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects the dilated window (3) to fit the padded input (2) in spatial dimension 0}}
  %0 = nn.max_pool2d %x kernel [2, 2] dilations [2, 1] : tensor<1x4x2x8xf32> -> tensor<1x4x1x7xf32>
  return
}

// -----

// Test: avg_pool2d window larger than the padded input
func.func @avg_pool2d_window_too_big(%x: tensor<1x4x8x2xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' op expects the dilated window (4) to fit the padded input (3) in spatial dimension 1}}
  %0 = nn.avg_pool2d %x kernel [2, 4] padding [0, 1, 0, 0] : tensor<1x4x8x2xf32> -> tensor<1x4x7x1xf32>
  return
}

// -----

// Test: global_avg_pool input without spatial dimensions
func.func @global_avg_pool_rank(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{'nn.global_avg_pool' op expects input of rank 3 or more (N, C, spatial...), got rank 2}}
  %0 = nn.global_avg_pool %x : tensor<1x4xf32> -> tensor<1x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reductions (ReductionOps.cpp)
//===----------------------------------------------------------------------===//

// Test: reduction with no axes
func.func @reduce_sum_no_axes(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reduce_sum' op expects at least one axis in 'axes'}}
  %0 = nn.reduce_sum %x axes [] : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// Test: reduction axis out of range (checkAxis)
func.func @reduce_mean_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reduce_mean' op expects 'axes' in [-2, 2) for rank 2, got 2}}
  %0 = nn.reduce_mean %x axes [0, 2] : tensor<2x4xf32> -> tensor<f32>
  return
}

// -----

// Test: reduction axis repeated (once negative)
func.func @reduce_max_repeated_axis(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reduce_max' op expects distinct 'axes', got dimension 1 twice}}
  %0 = nn.reduce_max %x axes [1, -1] : tensor<2x4xf32> -> tensor<2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Data movement (ShapeOps.cpp)
//===----------------------------------------------------------------------===//

// Test: reshape with two -1 entries
func.func @reshape_two_inferred(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expects at most one -1 in 'shape', got [-1, -1]}}
  %0 = nn.reshape %x [-1, -1] : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// Test: reshape with a negative size other than -1
func.func @reshape_negative_size(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expects 'shape' sizes to be non-negative or -1, got -2}}
  %0 = nn.reshape %x [-2, 8] : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// Test: reshape of elements into an empty shape
func.func @reshape_zero_size(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expects 'shape' to hold the input's 8 elements, got 0}}
  %0 = nn.reshape %x [0, 8] : tensor<2x4xf32> -> tensor<0x8xf32>
  return
}

// -----

// Test: reshape whose -1 is next to a zero size
func.func @reshape_zero_and_inferred(%x: tensor<0x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op cannot infer the -1 size next to a zero size}}
  %0 = nn.reshape %x [0, -1] : tensor<0x4xf32> -> tensor<0x4xf32>
  return
}

// -----

// Test: reshape whose -1 cannot be inferred
func.func @reshape_not_a_multiple(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op cannot infer the -1 size: 8 elements are not a multiple of 3}}
  %0 = nn.reshape %x [3, -1] : tensor<2x4xf32> -> tensor<3x3xf32>
  return
}

// -----

// Test: reshape changing the element count
func.func @reshape_element_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expects 'shape' to hold the input's 8 elements, got 9}}
  %0 = nn.reshape %x [3, 3] : tensor<2x4xf32> -> tensor<3x3xf32>
  return
}

// -----

// Test: transpose perm longer than the rank
func.func @transpose_perm_count(%x: tensor<2x4xi32>) {
  // expected-error @+1 {{'nn.transpose' op expects 'perm' to have 2 values (the input rank), got 3}}
  %0 = nn.transpose %x [1, 0, 2] : tensor<2x4xi32> -> tensor<4x2xi32>
  return
}

// -----

// Test: transpose perm with a repeated dimension
func.func @transpose_not_a_permutation(%x: tensor<2x4xi32>) {
  // expected-error @+1 {{'nn.transpose' op expects 'perm' to be a permutation of [0, 2), got [1, 1]}}
  %0 = nn.transpose %x [1, 1] : tensor<2x4xi32> -> tensor<4x4xi32>
  return
}

// -----

// Test: concat with no inputs
func.func @concat_no_inputs() {
  // expected-error @+1 {{'nn.concat' op expects at least one input}}
  %0 = nn.concat axis 0 : () -> tensor<1xf32>
  return
}

// -----

// Test: concat axis out of range (checkAxis)
func.func @concat_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.concat' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  %0 = nn.concat %x, %x axis 2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Test: concat inputs with different element types (checkElementType)
func.func @concat_element_type(%x: tensor<2x4xf32>, %y: tensor<2x4xi8>) {
  // expected-error @+1 {{'nn.concat' op expects input #1 element type 'i8' to match the first input element type 'f32'}}
  %0 = nn.concat %x, %y axis 1 : (tensor<2x4xf32>, tensor<2x4xi8>) -> tensor<2x8xf32>
  return
}

// -----

// Test: concat inputs of different ranks
func.func @concat_rank(%x: tensor<2x4xf32>, %y: tensor<2x4x1xf32>) {
  // expected-error @+1 {{'nn.concat' op expects inputs of equal rank, got input #1 of rank 3 and rank 2}}
  %0 = nn.concat %x, %y axis 1 : (tensor<2x4xf32>, tensor<2x4x1xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Test: concat inputs differing outside the axis
func.func @concat_disagree_outside_axis(%x: tensor<2x4xf32>, %y: tensor<3x4xf32>) {
  // expected-error @+1 {{'nn.concat' op expects inputs to agree outside axis 1, got [2x4] and [3x4]}}
  %0 = nn.concat %x, %x, %y axis 1 : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

// Test: slice starts with too few values (checkArray count)
func.func @slice_starts_count(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 'starts' to have 2 values, got 1}}
  %0 = nn.slice %x starts [0] ends [4, 10] : tensor<4x16xf32> -> tensor<4x10xf32>
  return
}

// -----

// Test: slice negative start (checkArray non-negativity)
func.func @slice_negative_start(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 'starts' values to be non-negative, got -2}}
  %0 = nn.slice %x starts [0, -2] ends [4, 10] : tensor<4x16xf32> -> tensor<4x10xf32>
  return
}

// -----

// Test: slice ends with too many values (checkArray count)
func.func @slice_ends_count(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 'ends' to have 2 values, got 3}}
  %0 = nn.slice %x starts [0, 2] ends [4, 10, 1] : tensor<4x16xf32> -> tensor<4x8xf32>
  return
}

// -----

// Test: slice zero step (checkArray positivity)
func.func @slice_zero_step(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 'steps' values to be positive, got 0}}
  %0 = nn.slice %x starts [0, 2] ends [4, 10] steps [1, 0] : tensor<4x16xf32> -> tensor<4x8xf32>
  return
}

// -----

// Test: slice end past the dimension size
func.func @slice_end_past_size(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 0 <= start <= end <= size in dimension 1, got start 2, end 17, size 16}}
  %0 = nn.slice %x starts [0, 2] ends [4, 17] : tensor<4x16xf32> -> tensor<4x15xf32>
  return
}

// -----

// Test: slice start after end
func.func @slice_start_after_end(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'nn.slice' op expects 0 <= start <= end <= size in dimension 0, got start 3, end 2, size 4}}
  %0 = nn.slice %x starts [3, 2] ends [2, 10] : tensor<4x16xf32> -> tensor<0x8xf32>
  return
}

// -----

// Test: flatten axis past the rank
func.func @flatten_axis(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'nn.flatten' op expects 'axis' in [-3, 3] for rank 3, got 4}}
  %0 = nn.flatten %x axis 4 : tensor<2x3x4xf32> -> tensor<24x1xf32>
  return
}

// -----

// Test: pad with too few pads (checkArray count)
func.func @pad_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.pad' op expects 'pads' to have 4 values, got 2}}
  %0 = nn.pad %x [1, 1] : tensor<2x4xf32> -> tensor<4x4xf32>
  return
}

// -----

// Test: pad with a negative amount (checkArray non-negativity)
func.func @pad_negative(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.pad' op expects 'pads' values to be non-negative, got -1}}
  %0 = nn.pad %x [0, -1, 0, 1] : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// Test: pad value with a non-constant mode
func.func @pad_value_with_edge_mode(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.pad' op expects no 'value' with mode edge (only constant padding uses it)}}
  %0 = nn.pad %x [0, 1, 0, 1] mode edge value 1.0 : tensor<2x4xf32> -> tensor<2x6xf32>
  return
}

// -----

// Test: reflect pad as large as the dimension
func.func @pad_reflect_too_large(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.pad' op expects reflect pads smaller than the size (4) of dimension 1, got 1 and 4}}
  %0 = nn.pad %x [0, 1, 0, 4] mode reflect : tensor<2x4xf32> -> tensor<2x9xf32>
  return
}

// -----

// Test: edge pad of an empty dimension
func.func @pad_edge_empty_dimension(%x: tensor<2x0xf32>) {
  // expected-error @+1 {{'nn.pad' op cannot edge-pad the empty dimension 1}}
  %0 = nn.pad %x [0, 1, 0, 0] mode edge : tensor<2x0xf32> -> tensor<2x1xf32>
  return
}

// -----

// Test: broadcast_to a zero size (checkArray positivity)
func.func @broadcast_to_zero_size(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op expects 'shape' values to be positive, got 0}}
  %0 = nn.broadcast_to %x [0, 4] : tensor<4xf32> -> tensor<0x4xf32>
  return
}

// -----

// Test: broadcast_to an incompatible size
func.func @broadcast_to_incompatible(%x: tensor<3xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op cannot broadcast [3] to [2x4]}}
  %0 = nn.broadcast_to %x [2, 4] : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

// Test: broadcast_to a lower rank
func.func @broadcast_to_lower_rank(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.broadcast_to' op cannot broadcast [2x4] to [4]}}
  %0 = nn.broadcast_to %x [4] : tensor<2x4xf32> -> tensor<4xf32>
  return
}

// -----

// Test: gather from rank-0 data
func.func @gather_rank0_data(%d: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'nn.gather' op expects data of rank 1 or more, got rank 0}}
  %0 = nn.gather %d, %i : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

// Test: gather axis out of range (checkAxis)
func.func @gather_axis(%d: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'nn.gather' op expects 'axis' in [-2, 2) for rank 2, got -3}}
  %0 = nn.gather %d, %i axis -3 : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Training (TrainingOps.cpp)
//===----------------------------------------------------------------------===//

// Test: dropout ratio 1
func.func @dropout_ratio_one(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.dropout' op expects 'ratio' in [0, 1), got 1.000000e+00}}
  %0 = nn.dropout %x ratio 1.0 : tensor<4xf32>
  return
}

// -----

// Test: cross_entropy logits of rank 1
func.func @cross_entropy_logits_rank(%l: tensor<10xf32>, %t: tensor<i64>) {
  // expected-error @+1 {{'nn.cross_entropy' op expects logits of rank 2 or more (N, C, ...), got rank 1}}
  %0 = nn.cross_entropy %l, %t : (tensor<10xf32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

// Test: cross_entropy class-index targets with the class dimension
func.func @cross_entropy_index_targets_shape(%l: tensor<32x10xf32>, %t: tensor<32x10xi64>) {
  // expected-error @+1 {{'nn.cross_entropy' op expects class-index targets of shape [32], got [32x10]}}
  %0 = nn.cross_entropy %l, %t : (tensor<32x10xf32>, tensor<32x10xi64>) -> tensor<f32>
  return
}

// -----

// Test: cross_entropy probability targets without the class dimension
func.func @cross_entropy_probability_targets_shape(%l: tensor<32x10xf32>, %t: tensor<32xf32>) {
  // expected-error @+1 {{'nn.cross_entropy' op expects probability targets of the logits' shape [32x10], got [32]}}
  %0 = nn.cross_entropy %l, %t : (tensor<32x10xf32>, tensor<32xf32>) -> tensor<f32>
  return
}

// -----

// Test: cross_entropy probability targets of another float type (checkElementType)
func.func @cross_entropy_targets_element_type(%l: tensor<32x10xf32>, %t: tensor<32x10xf16>) {
  // expected-error @+1 {{'nn.cross_entropy' op expects targets element type 'f16' to match the logits element type 'f32'}}
  %0 = nn.cross_entropy %l, %t : (tensor<32x10xf32>, tensor<32x10xf16>) -> tensor<f32>
  return
}

// -----

// Test: mse target element type (checkElementType)
func.func @mse_target_element_type(%y: tensor<32x1xf32>, %t: tensor<32x1xf64>) {
  // expected-error @+1 {{'nn.mse' op expects target element type 'f64' to match the prediction element type 'f32'}}
  %0 = nn.mse %y, %t : (tensor<32x1xf32>, tensor<32x1xf64>) -> tensor<f32>
  return
}

// -----

// Test: mse target shape differs from the prediction's
func.func @mse_target_shape(%y: tensor<32x1xf32>, %t: tensor<32xf32>) {
  // expected-error @+1 {{'nn.mse' op expects target of the prediction's shape [32x1], got [32]}}
  %0 = nn.mse %y, %t reduction none : (tensor<32x1xf32>, tensor<32xf32>) -> tensor<32x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Attribute values that would overflow 64-bit shape arithmetic, and NaNs.
//===----------------------------------------------------------------------===//

// Test: clip bound that is NaN
func.func @clip_nan_bound(%x: tensor<4xf32>) {
  // expected-error @+1 {{'nn.clip' op expects 'min' to be a number}}
  %0 = nn.clip %x min 0x7FF8000000000000 : tensor<4xf32>
  return
}

// -----

// Test: pooling over an empty spatial dimension (windows of padding only)
func.func @max_pool2d_empty_input(%x: tensor<1x1x0x4xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' op expects a non-empty input in spatial dimension 0}}
  %0 = nn.max_pool2d %x kernel [3, 1] padding [2, 0, 2, 0] : tensor<1x1x0x4xf32> -> tensor<1x1x2x4xf32>
  return
}

// -----

// Test: reshape target sizes whose product overflows (used to divide by zero)
func.func @reshape_shape_overflow(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op expects 'shape' to have fewer than 2^63 elements}}
  %0 = nn.reshape %x [4294967296, 4294967296, -1] : tensor<2x4xf32> -> tensor<?x?x?xf32>
  return
}

// -----

// Test: reshape of an input whose element count overflows: the operand is
// rejected before any shape arithmetic
func.func @reshape_input_overflow(%x: tensor<4294967296x4294967296x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op operand #0 of type 'tensor<4294967296x4294967296x4xf32>' has more elements than Kiln supports (at most 2^40 = 1099511627776)}}
  %0 = nn.reshape %x [-1] : tensor<4294967296x4294967296x4xf32> -> tensor<?xf32>
  return
}

// -----

// Test: concat of two inputs of 2^40 elements: a result over the bound, even
// where the declared type leaves its size dynamic
func.func @concat_too_large(%a: tensor<1099511627776xf32>) {
  // expected-error @+1 {{'nn.concat' op infers a result of type 'tensor<2199023255552xf32>' with more elements than Kiln supports (at most 2^40 = 1099511627776)}}
  %0 = nn.concat %a, %a axis 0 : (tensor<1099511627776xf32>, tensor<1099511627776xf32>) -> tensor<?xf32>
  return
}

// -----

// Test: pad whose padded size overflows
func.func @pad_overflow(%x: tensor<2xf32>) {
  // expected-error @+1 {{'nn.pad' op expects a padded size below 2^63 in dimension 0}}
  %0 = nn.pad %x [9223372036854775807, 1] : tensor<2xf32> -> tensor<?xf32>
  return
}

// -----

// Test: a dilation so large that the dilated window overflows
func.func @conv2d_window_overflow(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expects the window of spatial dimension 0 to fit in 64-bit arithmetic}}
  %0 = nn.conv2d %x, %w dilations [4611686018427387904, 1] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return
}

// -----

// Test: a NaN epsilon is not non-negative
func.func @batch_norm_nan_epsilon(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op expects 'epsilon' to be non-negative, got nan}}
  %0 = nn.batch_norm %x, %p, %p, %p, %p epsilon 0x7FF8000000000000 : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Test: max pooling of bools (no order)
func.func @max_pool2d_bool(%x: tensor<1x1x4x4xi1>) {
  // expected-error @+1 {{'nn.max_pool2d' op operand #0 must be ranked tensor of floating-point or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<1x1x4x4xi1>'}}
  %0 = nn.max_pool2d %x kernel [2, 2] : tensor<1x1x4x4xi1> -> tensor<1x1x3x3xi1>
  return
}

// -----

// Test: arg_max over an empty dimension (no position to return)
func.func @arg_max_empty(%x: tensor<4x0xf32>) {
  // expected-error @+1 {{'nn.arg_max' op expects a non-empty dimension 1}}
  %0 = nn.arg_max %x axis 1 : tensor<4x0xf32> -> tensor<4xi64>
  return
}

// -----

// Test: arg_min with an axis out of range
func.func @arg_min_axis(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{'nn.arg_min' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  %0 = nn.arg_min %x axis 2 : tensor<4x5xf32> -> tensor<4xi64>
  return
}

// -----

// Test: arg_max result type
func.func @arg_max_result(%x: tensor<4x5xf32>) {
  // expected-error @+2 {{'nn.arg_max' op inferred type(s) 'tensor<4x1xi64>' are incompatible with return type(s) of operation 'tensor<4xi64>'}}
  // expected-error @+1 {{'nn.arg_max' op failed to infer returned types}}
  %0 = nn.arg_max %x axis 1 keepdims : tensor<4x5xf32> -> tensor<4xi64>
  return
}

// -----

// Test: rem of mixed element types
func.func @rem_types(%x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'nn.rem' op}}
  %0 = nn.rem %x, %y : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

// Test: gather from an empty dimension (no index is valid)
func.func @gather_empty(%x: tensor<0x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'nn.gather' op expects a non-empty dimension 0 to gather from}}
  %0 = nn.gather %x, %i : (tensor<0x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}
