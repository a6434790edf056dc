module {
  func.func @test_cast_FLOAT_to_FLOAT16(%arg0: tensor<3x4xf32> {nn.name = "input"}) -> (tensor<3x4xf16> {nn.name = "output"}) {
    %0 = nn.cast %arg0 : tensor<3x4xf32> -> tensor<3x4xf16>
    return %0 : tensor<3x4xf16>
  }
}
