module {
  func.func @test_transpose_default(%arg0: tensor<2x3x4xf32> {nn.name = "data"}) -> (tensor<4x3x2xf32> {nn.name = "transposed"}) {
    %0 = nn.transpose %arg0 [2, 1, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
    return %0 : tensor<4x3x2xf32>
  }
}
