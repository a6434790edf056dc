module {
  func.func @test_softmax_axis_1(%arg0: tensor<3x4x5xf32> {nn.name = "x"}) -> (tensor<3x4x5xf32> {nn.name = "y"}) {
    %0 = nn.softmax %arg0 axis 1 : tensor<3x4x5xf32>
    return %0 : tensor<3x4x5xf32>
  }
}
