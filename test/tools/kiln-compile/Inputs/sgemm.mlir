// An f32 matmul (128 x 64 times 64 x 256) with a constant right operand:
// with --precision=fp16 or bf16, its inputs are rounded to 16 bits and it
// runs on tensor cores.
func.func @sgemm(%a: tensor<128x64xf32>) -> tensor<128x256xf32> {
  %b = arith.constant dense<0.5> : tensor<64x256xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x256xf32>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}
