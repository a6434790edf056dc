module {
  func.func @test_argmax_default_axis_example(%arg0: tensor<2x2xf32> {nn.name = "data"}) -> (tensor<1x2xi64> {nn.name = "result"}) {
    %0 = nn.arg_max %arg0 axis 0 keepdims : tensor<2x2xf32> -> tensor<1x2xi64>
    return %0 : tensor<1x2xi64>
  }
}
