module {
  func.func @test_batchnorm_example(%arg0: tensor<2x3x4x5xf32> {nn.name = "x"}, %arg1: tensor<3xf32> {nn.name = "s"}, %arg2: tensor<3xf32> {nn.name = "bias"}, %arg3: tensor<3xf32> {nn.name = "mean"}, %arg4: tensor<3xf32> {nn.name = "var"}) -> (tensor<2x3x4x5xf32> {nn.name = "y"}) {
    %0 = nn.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 epsilon 9.9999997473787516E-6 : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
    return %0 : tensor<2x3x4x5xf32>
  }
}
