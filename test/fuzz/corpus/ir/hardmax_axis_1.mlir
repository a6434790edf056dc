module {
  func.func @test_hardmax_axis_1(%arg0: tensor<3x4x5xf32> {nn.name = "x"}) -> (tensor<3x4x5xf32> {nn.name = "y"}) {
    %0 = nn.arg_max %arg0 axis 1 keepdims : tensor<3x4x5xf32> -> tensor<3x1x5xi64>
    %1 = nn.constant dense<[[[0], [1], [2], [3]]]> : tensor<1x4x1xi64>
    %2 = nn.equal %0, %1 : (tensor<3x1x5xi64>, tensor<1x4x1xi64>) -> tensor<3x4x5xi1>
    %3 = nn.cast %2 : tensor<3x4x5xi1> -> tensor<3x4x5xf32>
    return %3 : tensor<3x4x5xf32>
  }
}
