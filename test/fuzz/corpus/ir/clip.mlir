module {
  func.func @test_clip(%arg0: tensor<3x4x5xf32> {nn.name = "x"}, %arg1: tensor<f32> {nn.name = "min"}, %arg2: tensor<f32> {nn.name = "max"}) -> (tensor<3x4x5xf32> {nn.name = "y"}) {
    %0 = nn.maximum %arg0, %arg1 : (tensor<3x4x5xf32>, tensor<f32>) -> tensor<3x4x5xf32>
    %1 = nn.minimum %0, %arg2 : (tensor<3x4x5xf32>, tensor<f32>) -> tensor<3x4x5xf32>
    return %1 : tensor<3x4x5xf32>
  }
}
