func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = nn.softmax %x axis 1 : tensor<4x8xf32>
  %e = nn.erf %s : tensor<4x8xf32>
  %p = nn.pow %e, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}
