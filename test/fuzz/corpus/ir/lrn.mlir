module {
  func.func @test_lrn(%arg0: tensor<5x5x5x5xf32> {nn.name = "x"}) -> (tensor<5x5x5x5xf32> {nn.name = "y"}) {
    %0 = nn.mul %arg0, %arg0 : (tensor<5x5x5x5xf32>, tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32>
    %1 = nn.reshape %0 [5, 1, 5, 25] : tensor<5x5x5x5xf32> -> tensor<5x1x5x25xf32>
    %2 = nn.avg_pool2d %1 kernel [3, 1] strides [1, 1] padding [1, 0, 1, 0] count_include_pad : tensor<5x1x5x25xf32> -> tensor<5x1x5x25xf32>
    %3 = nn.reshape %2 [5, 5, 5, 5] : tensor<5x1x5x25xf32> -> tensor<5x5x5x5xf32>
    %4 = nn.constant dense<2.000000e+00> : tensor<f32>
    %5 = nn.constant dense<2.000000e-04> : tensor<f32>
    %6 = nn.mul %3, %5 : (tensor<5x5x5x5xf32>, tensor<f32>) -> tensor<5x5x5x5xf32>
    %7 = nn.add %6, %4 : (tensor<5x5x5x5xf32>, tensor<f32>) -> tensor<5x5x5x5xf32>
    %8 = nn.constant dense<5.000000e-01> : tensor<f32>
    %9 = nn.pow %7, %8 : (tensor<5x5x5x5xf32>, tensor<f32>) -> tensor<5x5x5x5xf32>
    %10 = nn.div %arg0, %9 : (tensor<5x5x5x5xf32>, tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32>
    return %10 : tensor<5x5x5x5xf32>
  }
}
