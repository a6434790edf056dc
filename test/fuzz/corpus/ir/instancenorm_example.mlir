module {
  func.func @test_instancenorm_example(%arg0: tensor<1x2x1x3xf32> {nn.name = "x"}, %arg1: tensor<2xf32> {nn.name = "s"}, %arg2: tensor<2xf32> {nn.name = "bias"}) -> (tensor<1x2x1x3xf32> {nn.name = "y"}) {
    %0 = nn.constant dense<1.000000e+00> : tensor<1x3xf32>
    %1 = nn.layer_norm %arg0, %0 axis 2 epsilon 9.9999997473787516E-6 : (tensor<1x2x1x3xf32>, tensor<1x3xf32>) -> tensor<1x2x1x3xf32>
    %2 = nn.reshape %arg1 [2, 1, 1] : tensor<2xf32> -> tensor<2x1x1xf32>
    %3 = nn.reshape %arg2 [2, 1, 1] : tensor<2xf32> -> tensor<2x1x1xf32>
    %4 = nn.mul %1, %2 : (tensor<1x2x1x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x1x3xf32>
    %5 = nn.add %4, %3 : (tensor<1x2x1x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x1x3xf32>
    return %5 : tensor<1x2x1x3xf32>
  }
}
