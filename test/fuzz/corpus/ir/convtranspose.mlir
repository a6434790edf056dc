module {
  func.func @test_convtranspose(%arg0: tensor<1x1x3x3xf32> {nn.name = "X"}, %arg1: tensor<1x2x3x3xf32> {nn.name = "W"}) -> (tensor<1x2x5x5xf32> {nn.name = "Y"}) {
    %0 = nn.pad %arg0 [0, 0, 2, 2, 0, 0, 2, 2] : tensor<1x1x3x3xf32> -> tensor<1x1x7x7xf32>
    %1 = nn.reshape %arg1 [1, 1, 2, 3, 3] : tensor<1x2x3x3xf32> -> tensor<1x1x2x3x3xf32>
    %2 = nn.transpose %1 [0, 2, 1, 3, 4] : tensor<1x1x2x3x3xf32> -> tensor<1x2x1x3x3xf32>
    %3 = nn.reshape %2 [2, 1, 3, 3] : tensor<1x2x1x3x3xf32> -> tensor<2x1x3x3xf32>
    %4 = nn.constant dense<[2, 1, 0]> : tensor<3xi64>
    %5 = nn.gather %3, %4 axis 2 : (tensor<2x1x3x3xf32>, tensor<3xi64>) -> tensor<2x1x3x3xf32>
    %6 = nn.constant dense<[2, 1, 0]> : tensor<3xi64>
    %7 = nn.gather %5, %6 axis 3 : (tensor<2x1x3x3xf32>, tensor<3xi64>) -> tensor<2x1x3x3xf32>
    %8 = nn.conv2d %0, %7 strides [1, 1] padding [0, 0, 0, 0] dilations [1, 1] : (tensor<1x1x7x7xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x5x5xf32>
    return %8 : tensor<1x2x5x5xf32>
  }
}
