module {
  func.func @test_matmul_3d(%arg0: tensor<2x3x4xf32> {nn.name = "a"}, %arg1: tensor<2x4x3xf32> {nn.name = "b"}) -> (tensor<2x3x3xf32> {nn.name = "c"}) {
    %0 = nn.matmul %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
    return %0 : tensor<2x3x3xf32>
  }
}
