module {
  func.func @test_layer_normalization_2d_axis0(%arg0: tensor<3x4xf32> {nn.name = "X"}, %arg1: tensor<3x4xf32> {nn.name = "W"}, %arg2: tensor<3x4xf32> {nn.name = "B"}) -> (tensor<3x4xf32> {nn.name = "Y"}, tensor<1x1xf32> {nn.name = "Mean"}, tensor<1x1xf32> {nn.name = "InvStdDev"}) {
    %0 = nn.layer_norm %arg0, %arg1, %arg2 axis 0 epsilon 9.9999997473787516E-6 : (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %1 = nn.reduce_mean %arg0 axes [0, 1] keepdims : tensor<3x4xf32> -> tensor<1x1xf32>
    %2 = nn.sub %arg0, %1 : (tensor<3x4xf32>, tensor<1x1xf32>) -> tensor<3x4xf32>
    %3 = nn.mul %2, %2 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %4 = nn.reduce_mean %3 axes [0, 1] keepdims : tensor<3x4xf32> -> tensor<1x1xf32>
    %5 = nn.constant dense<9.99999974E-6> : tensor<f32>
    %6 = nn.add %4, %5 : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xf32>
    %7 = nn.rsqrt %6 : tensor<1x1xf32>
    return %0, %1, %7 : tensor<3x4xf32>, tensor<1x1xf32>, tensor<1x1xf32>
  }
}
