module {
  func.func @test_gather_0(%arg0: tensor<5x4x3x2xf32> {nn.name = "data"}, %arg1: tensor<3xi64> {nn.name = "indices"}) -> (tensor<3x4x3x2xf32> {nn.name = "y"}) {
    %0 = nn.gather %arg0, %arg1 : (tensor<5x4x3x2xf32>, tensor<3xi64>) -> tensor<3x4x3x2xf32>
    return %0 : tensor<3x4x3x2xf32>
  }
}
