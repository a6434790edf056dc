module {
  func.func @test_concat_2d_axis_1(%arg0: tensor<2x2xf32> {nn.name = "value0"}, %arg1: tensor<2x2xf32> {nn.name = "value1"}) -> (tensor<2x4xf32> {nn.name = "output"}) {
    %0 = nn.concat %arg0, %arg1 axis 1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  }
}
