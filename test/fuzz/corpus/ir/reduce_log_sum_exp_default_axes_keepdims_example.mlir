module {
  func.func @test_reduce_log_sum_exp_default_axes_keepdims_example(%arg0: tensor<3x2x2xf64> {nn.name = "data"}) -> (tensor<1x1x1xf64> {nn.name = "reduced"}) {
    %0 = nn.reduce_max %arg0 axes [0, 1, 2] keepdims : tensor<3x2x2xf64> -> tensor<1x1x1xf64>
    %1 = nn.sub %arg0, %0 : (tensor<3x2x2xf64>, tensor<1x1x1xf64>) -> tensor<3x2x2xf64>
    %2 = nn.exp %1 : tensor<3x2x2xf64>
    %3 = nn.reduce_sum %2 axes [0, 1, 2] keepdims : tensor<3x2x2xf64> -> tensor<1x1x1xf64>
    %4 = nn.log %3 : tensor<1x1x1xf64>
    %5 = nn.add %4, %0 : (tensor<1x1x1xf64>, tensor<1x1x1xf64>) -> tensor<1x1x1xf64>
    return %5 : tensor<1x1x1xf64>
  }
}
