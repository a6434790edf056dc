module {
  func.func @test_where_example(%arg0: tensor<2x2xi1> {nn.name = "condition"}, %arg1: tensor<2x2xf32> {nn.name = "x"}, %arg2: tensor<2x2xf32> {nn.name = "y"}) -> (tensor<2x2xf32> {nn.name = "z"}) {
    %0 = nn.select %arg0, %arg1, %arg2 : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>
  }
}
