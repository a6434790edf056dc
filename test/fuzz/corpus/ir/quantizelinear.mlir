module {
  func.func @test_quantizelinear(%arg0: tensor<6xf32> {nn.name = "x"}, %arg1: tensor<f32> {nn.name = "y_scale"}, %arg2: tensor<ui8> {nn.name = "y_zero_point"}) -> (tensor<6xui8> {nn.name = "y"}) {
    %0 = nn.reshape %arg1 [] : tensor<f32> -> tensor<f32>
    %1 = nn.constant dense<0.000000e+00> : tensor<f32>
    %2 = nn.reshape %arg2 [] : tensor<ui8> -> tensor<ui8>
    %3 = nn.cast %2 : tensor<ui8> -> tensor<f32>
    %4 = nn.div %arg0, %0 : (tensor<6xf32>, tensor<f32>) -> tensor<6xf32>
    %5 = nn.round %4 : tensor<6xf32>
    %6 = nn.add %5, %3 : (tensor<6xf32>, tensor<f32>) -> tensor<6xf32>
    %7 = nn.clip %6 min 0.000000e+00 max 2.550000e+02 : tensor<6xf32>
    %8 = nn.cast %7 : tensor<6xf32> -> tensor<6xui8>
    return %8 : tensor<6xui8>
  }
}
