module {
  func.func @test_einsum_batch_matmul(%arg0: tensor<5x2x3xf64> {nn.name = "x"}, %arg1: tensor<5x3x4xf64> {nn.name = "y"}) -> (tensor<5x2x4xf64> {nn.name = "z"}) {
    %0 = nn.reshape %arg1 [5, 3, 4] : tensor<5x3x4xf64> -> tensor<5x3x4xf64>
    %1 = nn.reshape %arg0 [5, 2, 3] : tensor<5x2x3xf64> -> tensor<5x2x3xf64>
    %2 = nn.matmul %1, %0 : (tensor<5x2x3xf64>, tensor<5x3x4xf64>) -> tensor<5x2x4xf64>
    %3 = nn.reshape %2 [5, 2, 4] : tensor<5x2x4xf64> -> tensor<5x2x4xf64>
    %4 = nn.reshape %3 [5, 2, 4] : tensor<5x2x4xf64> -> tensor<5x2x4xf64>
    return %4 : tensor<5x2x4xf64>
  }
}
