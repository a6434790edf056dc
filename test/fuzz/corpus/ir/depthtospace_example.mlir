module {
  func.func @test_depthtospace_example(%arg0: tensor<1x8x2x3xf32> {nn.name = "x"}) -> (tensor<1x2x4x6xf32> {nn.name = "y"}) {
    %0 = nn.reshape %arg0 [1, 2, 2, 2, 2, 3] : tensor<1x8x2x3xf32> -> tensor<1x2x2x2x2x3xf32>
    %1 = nn.transpose %0 [0, 3, 4, 1, 5, 2] : tensor<1x2x2x2x2x3xf32> -> tensor<1x2x2x2x3x2xf32>
    %2 = nn.reshape %1 [1, 2, 4, 6] : tensor<1x2x2x2x3x2xf32> -> tensor<1x2x4x6xf32>
    return %2 : tensor<1x2x4x6xf32>
  }
}
