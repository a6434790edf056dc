module {
  func.func @test_gemm_default_matrix_bias(%arg0: tensor<3x6xf32> {nn.name = "a"}, %arg1: tensor<6x4xf32> {nn.name = "b"}, %arg2: tensor<3x4xf32> {nn.name = "c"}) -> (tensor<3x4xf32> {nn.name = "y"}) {
    %0 = nn.matmul %arg0, %arg1 : (tensor<3x6xf32>, tensor<6x4xf32>) -> tensor<3x4xf32>
    %1 = nn.add %0, %arg2 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    return %1 : tensor<3x4xf32>
  }
}
