func.func @f(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<8xf32>) -> tensor<16x8xf32> {
  %m = nn.matmul %a, %b : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  %s = nn.add %m, %c : (tensor<16x8xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  %r = nn.relu %s : tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
