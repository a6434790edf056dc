module {
  func.func @test_conv_with_strides_padding(%arg0: tensor<1x1x7x5xf32> {nn.name = "x"}, %arg1: tensor<1x1x3x3xf32> {nn.name = "W"}) -> (tensor<1x1x4x3xf32> {nn.name = "y"}) {
    %0 = nn.conv2d %arg0, %arg1 strides [2, 2] padding [1, 1, 1, 1] dilations [1, 1] : (tensor<1x1x7x5xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x3xf32>
    return %0 : tensor<1x1x4x3xf32>
  }
}
