module {
  func.func @test_maxpool_2d_pads(%arg0: tensor<1x3x28x28xf32> {nn.name = "x"}) -> (tensor<1x3x30x30xf32> {nn.name = "y"}) {
    %0 = nn.max_pool2d %arg0 kernel [3, 3] strides [1, 1] padding [2, 2, 2, 2] dilations [1, 1] : tensor<1x3x28x28xf32> -> tensor<1x3x30x30xf32>
    return %0 : tensor<1x3x30x30xf32>
  }
}
