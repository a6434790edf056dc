module {
  func.func @test_reduce_mean_keepdims_example(%arg0: tensor<3x2x2xf32> {nn.name = "data"}) -> (tensor<3x1x2xf32> {nn.name = "reduced"}) {
    %0 = nn.reduce_mean %arg0 axes [1] keepdims : tensor<3x2x2xf32> -> tensor<3x1x2xf32>
    return %0 : tensor<3x1x2xf32>
  }
}
